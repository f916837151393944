from __future__ import annotations

from typing import Protocol

import msgspec


class OutgoingWebhook(msgspec.Struct, frozen=True, kw_only=True):
    """One POST: to ``url``, connecting to ``address`` (the one checked, never looked
    up again), with ``headers`` and ``body`` exactly as signed."""

    url: str
    address: str
    headers: dict[str, str]
    body: bytes


class WebhookAnswer(msgspec.Struct, frozen=True, kw_only=True):
    """``status`` when the receiver answered (any code: redirects are not followed),
    else ``error`` saying why not (timeout, refused, TLS)."""

    status: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class WebhookSender(Protocol):
    """Sends webhook requests. Never raises for the receiver's or the network's
    failures: they are the answer's ``error``. Never follows a redirect."""

    async def send(self, request: OutgoingWebhook) -> WebhookAnswer: ...
