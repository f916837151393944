from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import msgspec

from fusionx.adapters.memory.guarded_work import InMemoryGuardedWork
from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.ports.idempotency import IdempotencyClaim, IdempotencyRecord, StoredResponse


class _Entry(msgspec.Struct, kw_only=True):
    record: IdempotencyRecord
    claimed_at: datetime
    expires_at: datetime
    lease_until: datetime


class InMemoryIdempotencyStore:
    """``IdempotencyStore`` for one process, beside the units of work of ``units``.

    Every method runs without awaiting, so each is atomic on the event loop; a guarded
    request's writes and its key's answer are kept in one such step (``settle``).
    """

    def __init__(self, units: InMemoryUnitOfWorkFactory) -> None:
        self._units = units
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
    ) -> IdempotencyClaim | IdempotencyRecord:
        entry = self._entries.get((caller, key))
        if entry is not None and not _free(entry, fingerprint, now):
            return entry.record
        self._entries[caller, key] = _Entry(
            record=IdempotencyRecord(fingerprint=fingerprint),
            claimed_at=now,
            expires_at=now + ttl,
            lease_until=now + lease,
        )
        return IdempotencyClaim(caller=caller, key=key, claimed_at=now)

    @asynccontextmanager
    async def guard(self, claim: IdempotencyClaim) -> AsyncIterator[InMemoryGuardedWork]:
        work = InMemoryGuardedWork(self._units, lambda response: self._answer(claim, response))
        try:
            yield work
        finally:
            work.close()

    async def release(self, claim: IdempotencyClaim) -> None:
        if self._unsettled(claim) is not None:
            del self._entries[claim.caller, claim.key]

    async def purge(self, now: datetime) -> int:
        expired = [k for k, entry in self._entries.items() if entry.expires_at <= now]
        for k in expired:
            del self._entries[k]
        return len(expired)

    def _answer(self, claim: IdempotencyClaim, response: StoredResponse) -> bool:
        """Store the claim's answer, if the claim is still unsettled and the request's."""
        entry = self._unsettled(claim)
        if entry is None:
            return False
        entry.record = msgspec.structs.replace(entry.record, response=response)
        return True

    def _unsettled(self, claim: IdempotencyClaim) -> _Entry | None:
        entry = self._entries.get((claim.caller, claim.key))
        if entry is None or entry.claimed_at != claim.claimed_at:
            return None
        return entry if entry.record.response is None else None


def _free(entry: _Entry, fingerprint: str, now: datetime) -> bool:
    if entry.expires_at <= now:
        return True
    abandoned = entry.record.response is None and entry.lease_until <= now
    return abandoned and entry.record.fingerprint == fingerprint
