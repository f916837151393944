from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from fusionx.ports.idempotency import IdempotencyRecord, StoredResponse


class _Entry(msgspec.Struct, kw_only=True):
    record: IdempotencyRecord
    expires_at: datetime
    lease_until: datetime


class InMemoryIdempotencyStore:
    """``IdempotencyStore`` for one process. Every method runs without awaiting, so each
    is atomic on the event loop."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], _Entry] = {}

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
        entry = self._entries.get((caller, key))
        if entry is not None and not _free(entry, fingerprint, now):
            return entry.record
        self._entries[caller, key] = _Entry(
            record=IdempotencyRecord(fingerprint=fingerprint),
            expires_at=now + ttl,
            lease_until=now + lease,
        )
        return None

    async def finish(self, caller: str, key: str, response: StoredResponse) -> None:
        entry = self._entries.get((caller, key))
        if entry is not None:
            entry.record = msgspec.structs.replace(entry.record, response=response)

    async def release(self, caller: str, key: str) -> None:
        entry = self._entries.get((caller, key))
        if entry is not None and entry.record.response is None:
            del self._entries[caller, key]

    async def purge(self, now: datetime) -> int:
        expired = [k for k, entry in self._entries.items() if entry.expires_at <= now]
        for k in expired:
            del self._entries[k]
        return len(expired)


def _free(entry: _Entry, fingerprint: str, now: datetime) -> bool:
    if entry.expires_at <= now:
        return True
    abandoned = entry.record.response is None and entry.lease_until <= now
    return abandoned and entry.record.fingerprint == fingerprint
