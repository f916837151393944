from __future__ import annotations

from typing import TYPE_CHECKING

from fusionx.ports.webhook_sender import OutgoingWebhook, WebhookAnswer

if TYPE_CHECKING:
    from fusionx.adapters.webhooks.httpx_sender import HttpxWebhookSender


class LazyWebhookSender:
    """``WebhookSender`` that builds the httpx one on the first request: a worker of a
    fleet without webhooks never loads httpx (several MB a worker, for nothing)."""

    def __init__(self, timeout_seconds: float) -> None:
        self._timeout_seconds = timeout_seconds
        self._sender: HttpxWebhookSender | None = None

    async def send(self, request: OutgoingWebhook) -> WebhookAnswer:
        if self._sender is None:
            from fusionx.adapters.webhooks.httpx_sender import HttpxWebhookSender  # noqa: PLC0415

            self._sender = HttpxWebhookSender(self._timeout_seconds)
        return await self._sender.send(request)

    async def close(self) -> None:
        if self._sender is not None:
            await self._sender.close()
