from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Protocol

import msgspec

from fusionx.ports.unit_of_work import UnitOfWork


class StoredResponse(msgspec.Struct, frozen=True, kw_only=True):
    """A response as it was first sent: replayed byte for byte to retries."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class IdempotencyRecord(msgspec.Struct, frozen=True, kw_only=True):
    """What a (caller, key) already stands for. ``response`` is None while it runs."""

    fingerprint: str
    response: StoredResponse | None = None


class IdempotencyClaim(msgspec.Struct, frozen=True, kw_only=True):
    """The right of one request to run for (caller, key), taken at ``claimed_at``.

    The moment names the claim: another claim of the key is only ever taken once this
    one's lease has run out, so it is always taken later.
    """

    caller: str
    key: str
    claimed_at: datetime


class GuardedWork(Protocol):
    """Everything a request under a key writes, committed with the key's answer or not at all.

    Units of work from ``unit_of_work`` and ``reader`` share one transaction. A unit's
    ``commit`` keeps its writes in it, and leaving a unit without committing drops only
    that unit's writes; nobody else sees any of them, and nothing reaches the bus, until
    ``settle``. Leaving the guarded block without settling keeps nothing.
    """

    def unit_of_work(self) -> UnitOfWork: ...

    def reader(self) -> UnitOfWork:
        """A unit that only reads (its ``commit`` raises), seeing this request's writes."""
        ...

    async def settle(self, response: StoredResponse) -> bool:
        """Commit every kept write with ``response`` as the key's answer, atomically.

        False, keeping nothing, when the claim is no longer this request's (it outlived
        its lease and a retry took the key over). Raises ``StorageUnavailable`` when the
        database could not be told, or did not say, whether it committed: a retry then
        finds either the answer or the key free again, never the writes without it.
        """
        ...


class IdempotencyStore(Protocol):
    """The first response to each (caller, key), shared by every worker and instance.

    ``begin`` is atomic: of several requests claiming one free key at once, exactly one
    gets it. Records live for ``ttl`` from their claim; a claim whose request has not
    settled within ``lease`` (its worker died) may be taken over by a retry of the same
    request, and the request that lost it can no longer settle. The answer and the
    request's writes commit together (``guard``), so no failure at any instant lets one
    key take effect twice, or leave its effect without its answer.
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
    ) -> IdempotencyClaim | IdempotencyRecord:
        """A claim when this request now holds the key and must run; else the live record."""
        ...

    def guard(self, claim: IdempotencyClaim) -> AbstractAsyncContextManager[GuardedWork]:
        """The transaction the claimed request runs in (see ``GuardedWork``)."""
        ...

    async def release(self, claim: IdempotencyClaim) -> None:
        """Forget the claim if it is still unsettled, so that a retry runs afresh."""
        ...

    async def purge(self, now: datetime) -> int:
        """Delete expired records; how many went."""
        ...
