from __future__ import annotations

from uuid import UUID

from sqlalchemy import Integer, String, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.events import pg_payload
from fusionx.adapters.sql.tables import ShiftEventRow, ShiftRow
from fusionx.core.model.events import EventType, NewEvent, ShiftEvent

# The shift row's counter numbers the events. Its row lock, held until the unit of work
# ends, orders appends to one shift and keeps the numbers gapless: a rollback undoes
# the increment, so the next append takes the same number again.
_NEXT_SEQ = (
    update(ShiftRow)
    .where(ShiftRow.id == bindparam("shift"))
    .values(last_seq=ShiftRow.last_seq + 1)
    .returning(ShiftRow.last_seq)
)
_INSERT = insert(ShiftEventRow)
# PostgreSQL delivers a notification only when its transaction commits, so a listener
# never hears of an event before its data is visible, and never of a rolled-back one.
_NOTIFY = select(
    func.pg_notify(bindparam("channel", type_=String()), bindparam("payload", type_=String()))
)
_SINCE = (
    select(ShiftEventRow.seq, ShiftEventRow.type, ShiftEventRow.at, ShiftEventRow.data)
    .where(ShiftEventRow.shift_id == bindparam("shift"), ShiftEventRow.seq > bindparam("after"))
    .order_by(ShiftEventRow.seq)
    .limit(bindparam("limit", type_=Integer()))
)
_LAST_SEQ = select(ShiftRow.last_seq).where(ShiftRow.id == bindparam("shift"))


class SqlEventLog:
    """``EventLog`` on ``shift_events``, numbered by ``shifts.last_seq``.

    Each append is added to ``appended``, which the unit of work hands to the event bus
    after commit. On PostgreSQL each append also NOTIFYs other processes.
    """

    def __init__(self, session: AsyncSession, appended: list[ShiftEvent]) -> None:
        self._session = session
        self._appended = appended
        self._notify = session.get_bind().dialect.name == "postgresql"

    async def append(self, event: NewEvent) -> ShiftEvent:
        connection = await self._session.connection()
        seq = await connection.scalar(_NEXT_SEQ, {"shift": event.shift_id})
        if seq is None:
            raise LookupError(f"no shift {event.shift_id}")
        logged = ShiftEvent(
            shift_id=event.shift_id, seq=seq, type=event.type, at=event.at, data=event.data
        )
        await connection.execute(
            _INSERT,
            {
                "shift_id": event.shift_id,
                "seq": seq,
                "type": event.type.value,
                "at": event.at,
                "data": event.data,
            },
        )
        if self._notify:
            await connection.execute(
                _NOTIFY, {"channel": pg_payload.CHANNEL, "payload": pg_payload.encode(logged)}
            )
        self._appended.append(logged)
        return logged

    async def since(self, shift_id: UUID, after_seq: int, limit: int = 500) -> list[ShiftEvent]:
        connection = await self._session.connection()
        result = await connection.execute(
            _SINCE, {"shift": shift_id, "after": after_seq, "limit": limit}
        )
        return [
            ShiftEvent(shift_id=shift_id, seq=seq, type=EventType(kind), at=at, data=data)
            for seq, kind, at, data in result
        ]

    async def last_seq(self, shift_id: UUID) -> int:
        connection = await self._session.connection()
        seq = await connection.scalar(_LAST_SEQ, {"shift": shift_id})
        return seq or 0
