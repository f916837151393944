"""``GuardedWork`` in memory: one private copy of the tables for a request under a key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Self
from uuid import UUID

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWork, InMemoryUnitOfWorkFactory
from fusionx.core.model.events import ShiftEvent
from fusionx.ports.errors import ReadOnlyUnitOfWork
from fusionx.ports.idempotency import StoredResponse


class InMemoryGuardedWork:
    """See ``GuardedWork``. ``answer`` stores the key's answer and says whether the claim
    was still the request's; ``settle`` calls it and publishes the request's copy of the
    tables in one step, without awaiting between. The store's write lock is held from
    the first unit of work until ``close``, as a SQLite transaction holds the file's."""

    def __init__(
        self, units: InMemoryUnitOfWorkFactory, answer: Callable[[StoredResponse], bool]
    ) -> None:
        self.units = units
        self.tables: InMemoryTables | None = None
        self._answer = answer
        self._kept: list[ShiftEvent] = []
        self._revoked: list[UUID] = []

    def unit_of_work(self) -> InMemoryGuardedUnitOfWork:
        return InMemoryGuardedUnitOfWork(self)

    def reader(self) -> InMemoryGuardedReadingUnitOfWork:
        return InMemoryGuardedReadingUnitOfWork(self)

    async def begin(self) -> InMemoryTables:
        """The request's copy of the tables, taken (with the write lock) on first use."""
        if self.tables is None:
            await self.units.store.write_lock.acquire()
            self.tables = self.units.store.tables.snapshot()
        return self.tables

    def current(self) -> InMemoryTables:
        """What a unit starting now sees: the request's copy, or the store's tables."""
        return self.tables if self.tables is not None else self.units.store.tables

    def keep_events(self, events: list[ShiftEvent], revoked: Sequence[UUID] = ()) -> None:
        """Events and revoked credentials of a unit's kept writes: the bus hears of them
        once settled."""
        self._kept.extend(events)
        self._revoked.extend(revoked)

    async def settle(self, response: StoredResponse) -> bool:
        if not self._answer(response):
            return False
        if self.tables is not None:
            self.units.store.tables = self.tables
        kept, self._kept = self._kept, []
        revoked, self._revoked = self._revoked, []
        if self.units.bus is not None and kept:
            await self.units.bus.publish(kept)
        if self.units.bus is not None and revoked:
            await self.units.bus.revoked(revoked)
        return True

    def close(self) -> None:
        if self.tables is not None:
            self.tables = None
            self.units.store.write_lock.release()
        self._kept.clear()
        self._revoked.clear()


class InMemoryGuardedUnitOfWork(InMemoryUnitOfWork):
    """A unit of work on an ``InMemoryGuardedWork``'s copy: ``commit`` keeps its writes
    in that copy; leaving without committing drops them."""

    def __init__(self, work: InMemoryGuardedWork) -> None:
        super().__init__(work.units.store, reaction=work.units.reaction)
        self._work = work

    async def __aenter__(self) -> Self:
        self._bind((await self._work.begin()).snapshot())
        return self

    async def __aexit__(self, *exc_info: object) -> None:  # leaving is the same either way
        await self.rollback()

    def _keep(self, tables: InMemoryTables) -> None:
        self._work.tables = tables

    async def _announce(self, published: list[ShiftEvent], revoked: Sequence[UUID]) -> None:
        self._work.keep_events(published, revoked)

    async def rollback(self) -> None:
        self._bind(self._work.current().snapshot())


class InMemoryGuardedReadingUnitOfWork(InMemoryGuardedUnitOfWork):
    """A reading unit on an ``InMemoryGuardedWork``: it sees the request's writes so far,
    and waits for no lock."""

    async def __aenter__(self) -> Self:
        self._bind(self._work.current().snapshot())
        return self

    async def commit(self) -> None:
        raise ReadOnlyUnitOfWork("a reading unit of work may not commit")
