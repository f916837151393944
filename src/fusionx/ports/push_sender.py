from __future__ import annotations

import enum
from datetime import datetime
from typing import Protocol

import msgspec

from fusionx.core.model.notifications import AlertText


class PushOutcome(enum.StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # rate-limited, server trouble or a dropped connection: try later
    TOKEN_INVALID = "token_invalid"  # noqa: S105 - the token must not be used again
    FAILED = "failed"  # refused for another reason; retrying will not help
    NOT_CONFIGURED = "not_configured"


class PushResult(msgspec.Struct, frozen=True, kw_only=True):
    outcome: PushOutcome
    detail: str = ""
    provider_ref: str | None = None
    # For TOKEN_INVALID from a 410: since when Apple has known the token to be invalid.
    invalid_since: datetime | None = None
    retry_after_seconds: float | None = None


class PushSender(Protocol):
    """Sends one push notification to one token; never raises for the provider's
    answers or for network trouble, which come back as a ``PushResult``."""

    async def send(self, token: str, message: AlertText) -> PushResult: ...
