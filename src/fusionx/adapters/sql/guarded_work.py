"""``GuardedWork`` on SQL: one session, one transaction, for a request under a key.

Its units of work are savepoints of that transaction. ``settle`` writes the key's answer
last, on the condition that the claim is still this request's, and commits: the writes
and the answer reach the database in the same COMMIT, or neither does.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Self
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction

from fusionx.adapters.sql.errors import CONNECTION_ERRORS, as_port_error, unavailable
from fusionx.adapters.sql.tables import IdempotencyKeyRow as Row
from fusionx.adapters.sql.unit_of_work import SqlUnitOfWork
from fusionx.core.model.events import ShiftEvent
from fusionx.ports.errors import ReadOnlyUnitOfWork
from fusionx.ports.event_bus import EventBus
from fusionx.ports.event_reaction import EventReaction
from fusionx.ports.idempotency import IdempotencyClaim, StoredResponse


class SqlGuardedWork:
    """See ``GuardedWork``. Close it (``close``) once done, settled or not."""

    def __init__(
        self,
        session: AsyncSession,
        claim: IdempotencyClaim,
        bus: EventBus | None,
        reaction: EventReaction | None,
    ) -> None:
        self.session = session
        self.reaction = reaction
        self._claim = claim
        self._bus = bus
        self._kept: list[ShiftEvent] = []
        self._revoked: list[UUID] = []

    def unit_of_work(self) -> SqlGuardedUnitOfWork:
        return SqlGuardedUnitOfWork(self)

    def reader(self) -> SqlGuardedReadingUnitOfWork:
        return SqlGuardedReadingUnitOfWork(self)

    def keep_events(self, events: list[ShiftEvent], revoked: Sequence[UUID] = ()) -> None:
        """Events and revoked credentials of a unit's kept writes: the bus hears of them
        once settled."""
        self._kept.extend(events)
        self._revoked.extend(revoked)

    async def settle(self, response: StoredResponse) -> bool:
        claim = self._claim
        answer = (
            update(Row)
            .where(
                Row.caller == claim.caller,
                Row.key == claim.key,
                Row.created_at == claim.claimed_at,
                Row.status.is_(None),
            )
            .values(
                status=response.status,
                headers=[list(header) for header in response.headers],
                body=response.body,
            )
        )
        try:
            answered = await self.session.execute(answer)
            if answered.rowcount != 1:  # type: ignore[attr-defined]
                await self.session.rollback()
                return False
            await self.session.commit()
        except Exception as error:
            translated = as_port_error(error)
            if translated is not None:
                raise translated from error
            raise
        kept, self._kept = self._kept, []
        revoked, self._revoked = self._revoked, []
        if self._bus is not None and kept:
            await self._bus.publish(kept)
        if self._bus is not None and revoked:
            await self._bus.revoked(revoked)
        return True

    async def close(self) -> None:
        """Roll back whatever was not settled and hand the connection back."""
        self._kept.clear()
        self._revoked.clear()
        await self.session.close()


class SqlGuardedUnitOfWork(SqlUnitOfWork):
    """A unit of work inside a ``SqlGuardedWork``: a savepoint of its transaction.

    ``commit`` releases the savepoint (the writes stay in the request's transaction,
    which ``settle`` commits) and opens the next; leaving rolls back to the savepoint.
    """

    def __init__(self, work: SqlGuardedWork) -> None:
        super().__init__(lambda: work.session, bus=None, reaction=work.reaction)
        self._work = work
        self._savepoint: AsyncSessionTransaction | None = None

    async def __aenter__(self) -> Self:
        self._forget_pending()
        try:
            self._savepoint = await self._session.begin_nested()
        except CONNECTION_ERRORS as error:
            raise unavailable(error) from error
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._forget_pending()
        savepoint, self._savepoint = self._savepoint, None
        try:
            if savepoint is not None and savepoint.is_active:
                await savepoint.rollback()
        except Exception as error:
            if exc is None:  # else the unit's own failure says more
                translated = as_port_error(error)
                if translated is not None:
                    raise translated from error
                raise
        translated = as_port_error(exc) if exc is not None else None
        if translated is not None:
            raise translated from exc

    async def _keep(self) -> None:
        if self._savepoint is None:
            raise RuntimeError("a unit of work commits inside its block")
        await self._savepoint.commit()
        self._savepoint = await self._session.begin_nested()

    async def _announce(self, committed: list[ShiftEvent], revoked: Sequence[UUID]) -> None:
        self._work.keep_events(committed, revoked)

    async def rollback(self) -> None:
        self._forget_pending()
        if self._savepoint is not None and self._savepoint.is_active:
            await self._savepoint.rollback()
        self._savepoint = await self._session.begin_nested()


class SqlGuardedReadingUnitOfWork(SqlGuardedUnitOfWork):
    """A reading unit inside a ``SqlGuardedWork``: it sees the request's writes so far."""

    async def commit(self) -> None:
        raise ReadOnlyUnitOfWork("a reading unit of work may not commit")
