"""Orders' tracking links on SQL, the same on both dialects."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import named, plain_uuid, row_values
from fusionx.adapters.sql.tables import OrderTrackingRow, TicketRow
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.tracking import ContactChannel, OrderTracking

_TO_BE_MADE = (TicketState.NEW, TicketState.IN_PREP, TicketState.HOLD)

_COLUMNS = (
    OrderTrackingRow.id,
    OrderTrackingRow.order_id,
    OrderTrackingRow.token_hash,
    OrderTrackingRow.created_at,
    OrderTrackingRow.contact,
    OrderTrackingRow.channel,
    OrderTrackingRow.locale,
    OrderTrackingRow.notify,
    OrderTrackingRow.told_ready_at,
)

# Built once: a ready ticket's reaction reads its order's tracking on every such move,
# and building the statement cost as much as sending it (docs/benchmarks.md, seventh pass).
_BY_HASH = select(*_COLUMNS).where(OrderTrackingRow.token_hash == bindparam("token_hash"))
_FOR_ORDERS = select(*_COLUMNS).where(
    OrderTrackingRow.order_id.in_(bindparam("orders", expanding=True))
)


def _tracking(values: Any) -> OrderTracking:
    row = named(_COLUMNS, values)
    return OrderTracking(
        id=plain_uuid(row.id),
        order_id=plain_uuid(row.order_id),
        token_hash=row.token_hash,
        created_at=row.created_at,
        contact=row.contact,
        channel=ContactChannel(row.channel) if row.channel else None,
        locale=row.locale,
        notify=row.notify,
        told_ready_at=row.told_ready_at,
    )


class SqlOrderTrackingRepository:
    """``OrderTrackingRepository`` on ``order_tracking``: ``by_hash`` reads the unique
    index on ``token_hash``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, tracking: OrderTracking) -> None:
        async with unique_writes(self._session):
            await self._session.execute(insert(OrderTrackingRow).values(row_values(tracking)))

    async def by_hash(self, token_hash: str) -> OrderTracking | None:
        found = await self._select(_BY_HASH, {"token_hash": token_hash})
        return found[0] if found else None

    async def for_order(self, order_id: UUID) -> OrderTracking | None:
        found = await self._select(_FOR_ORDERS, {"orders": [order_id]})
        return found[0] if found else None

    async def for_orders(self, order_ids: list[UUID]) -> list[OrderTracking]:
        if not order_ids:
            return []
        return await self._select(_FOR_ORDERS, {"orders": list(set(order_ids))})

    async def set_told(self, order_id: UUID, was: datetime | None, ready_at: datetime) -> bool:
        kept = (
            OrderTrackingRow.told_ready_at.is_(None)
            if was is None
            else OrderTrackingRow.told_ready_at == was
        )
        result = await self._session.execute(
            update(OrderTrackingRow)
            .where(OrderTrackingRow.order_id == order_id, kept)
            .values(told_ready_at=ready_at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def overdue(self, before: datetime, limit: int) -> list[OrderTracking]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(*_COLUMNS)
            .join(TicketRow, TicketRow.order_id == OrderTrackingRow.order_id)
            .where(
                OrderTrackingRow.notify.is_(True),
                OrderTrackingRow.told_ready_at < before,
                TicketRow.state.in_([s.value for s in _TO_BE_MADE]),
            )
            .order_by(OrderTrackingRow.told_ready_at, OrderTrackingRow.order_id)
            .limit(limit)
        )
        return [_tracking(values) for values in result]

    async def _select(
        self, statement: Executable, parameters: dict[str, object]
    ) -> list[OrderTracking]:
        connection = await self._session.connection()
        return [_tracking(values) for values in await connection.execute(statement, parameters)]
