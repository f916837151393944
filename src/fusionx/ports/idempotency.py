from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import msgspec


class StoredResponse(msgspec.Struct, frozen=True, kw_only=True):
    """A response as it was first sent: replayed byte for byte to retries."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class IdempotencyRecord(msgspec.Struct, frozen=True, kw_only=True):
    """What a (caller, key) already stands for. ``response`` is None while it runs."""

    fingerprint: str
    response: StoredResponse | None = None


class IdempotencyStore(Protocol):
    """The first response to each (caller, key), shared by every worker and instance.

    ``begin`` is atomic: of several requests claiming one free key at once, exactly one
    gets it. Records live for ``ttl`` from their claim; a claim whose request has not
    finished within ``lease`` (its worker died) may be taken over by a retry of the
    same request.
    """

    async def begin(
        self,
        caller: str,
        key: str,
        fingerprint: str,
        now: datetime,
        *,
        ttl: timedelta,
        lease: timedelta,
    ) -> IdempotencyRecord | None:
        """None when this request now holds the key and must run; else the live record."""
        ...

    async def finish(self, caller: str, key: str, response: StoredResponse) -> None:
        """Store the response of the request holding the key."""
        ...

    async def release(self, caller: str, key: str) -> None:
        """Forget an unfinished claim, so that a retry runs afresh."""
        ...

    async def purge(self, now: datetime) -> int:
        """Delete expired records; how many went."""
        ...
