"""In-memory capacity and summaries: the same answers as the SQL queries, in Python."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from statistics import fmean
from uuid import UUID

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.capacity import QUEUED_STATES, CapacitySetting, KitchenLoad, RecentOrder
from fusionx.core.model.orders import Order, OrderState
from fusionx.core.model.refunds import RefundStatus
from fusionx.core.model.summary import BestSeller, DurationStats, OrderBucket, ShiftFigures
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.rules.capacity import RECENT_PREPS
from fusionx.core.rules.statistics import percentile_cont

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _ShiftOrders:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    def orders(self, shift_id: UUID) -> list[tuple[Order, Ticket | None]]:
        by_order = {t.order_id: t for t in self._t.tickets.values() if t.shift_id == shift_id}
        return sorted(
            (
                (order, by_order.get(order.id))
                for order in self._t.orders.values()
                if order.shift_id == shift_id
            ),
            key=lambda pair: (pair[0].created_at, pair[0].id),
        )

    def live(self, shift_id: UUID) -> list[Order]:
        return [
            order
            for order, ticket in self.orders(shift_id)
            if (ticket is None or ticket.state is not TicketState.CANCELLED)
            and order.state is not OrderState.NEEDS_REFUND
        ]


class InMemoryCapacityRepository(_ShiftOrders):
    async def for_shift(self, shift_id: UUID) -> CapacitySetting | None:
        return self._t.shift_capacity.get(shift_id)

    async def for_truck(self, truck_id: UUID) -> CapacitySetting | None:
        return self._t.truck_capacity.get(truck_id)

    async def in_force(self, shift_id: UUID, truck_id: UUID) -> CapacitySetting | None:
        return self._t.shift_capacity.get(shift_id) or self._t.truck_capacity.get(truck_id)

    async def set_for_shift(self, shift_id: UUID, setting: CapacitySetting) -> None:
        self._t.shift_capacity[shift_id] = setting

    async def set_for_truck(self, truck_id: UUID, setting: CapacitySetting) -> None:
        self._t.truck_capacity[truck_id] = setting

    async def recent_orders(self, shift_id: UUID, since: datetime) -> list[RecentOrder]:
        return [
            RecentOrder(at=order.created_at, items=order.item_count)
            for order in self.live(shift_id)
            if order.created_at > since
        ]

    async def slot_loads(self, shift_id: UUID, from_slot: datetime) -> dict[datetime, int]:
        return dict(
            Counter(
                order.pickup_at
                for order in self.live(shift_id)
                if order.pickup_at is not None and order.pickup_at >= from_slot
            )
        )

    async def outlook(
        self, shift_id: UUID, truck_id: UUID
    ) -> tuple[CapacitySetting | None, KitchenLoad]:
        return await self.in_force(shift_id, truck_id), await self.kitchen_load(shift_id)

    async def kitchen_load(self, shift_id: UUID) -> KitchenLoad:
        tickets = [t for t in self._t.tickets.values() if t.shift_id == shift_id]
        preps = []
        for ticket in tickets:
            prep_at, ready_at = ticket.prep_at, ticket.ready_at
            if prep_at is not None and ready_at is not None:
                preps.append((ready_at, ticket.id, round((ready_at - prep_at).total_seconds(), 3)))
        return KitchenLoad(
            queued_tickets=sum(1 for t in tickets if t.state in QUEUED_STATES),
            recent_prep_seconds=tuple(seconds for _, _, seconds in sorted(preps)[-RECENT_PREPS:]),
        )


class InMemoryShiftSummaries(_ShiftOrders):
    async def figures(
        self, shift_id: UUID, *, bucket_minutes: int = 15, best_sellers: int = 10
    ) -> ShiftFigures:
        pairs = [(order, ticket) for order, ticket in self.orders(shift_id) if ticket is not None]
        by_state: Counter[TicketState] = Counter()
        preps: list[float] = []
        waits: list[float] = []
        cancelled = 0
        for order, ticket in pairs:
            by_state[ticket.state] += 1
            cancelled += order.total_cents if ticket.state is TicketState.CANCELLED else 0
            prep_at, ready_at = ticket.prep_at, ticket.ready_at
            if ready_at is not None:
                waits.append((ready_at - order.created_at).total_seconds())
                if prep_at is not None:
                    preps.append((ready_at - prep_at).total_seconds())
        length = timedelta(minutes=bucket_minutes)
        buckets = Counter(
            _EPOCH + ((order.created_at - _EPOCH) // length) * length for order, _ in pairs
        )
        return ShiftFigures(
            orders=len(pairs),
            by_state=dict(by_state),
            gross_cents=sum(order.total_cents for order, _ in pairs),
            cancelled_cents=cancelled,
            refunded_cents=self._refunded(pairs),
            prep=_stats(preps),
            wait=_stats(waits),
            buckets=tuple(OrderBucket(starts_at=at, orders=n) for at, n in sorted(buckets.items())),
            best_sellers=self._best_sellers(shift_id, best_sellers),
        )

    def _refunded(self, pairs: list[tuple[Order, Ticket]]) -> int:
        counted = {order.id for order, ticket in pairs if ticket.state is not TicketState.CANCELLED}
        return sum(
            refund.amount_cents
            for refund in self._t.refunds.values()
            if refund.order_id in counted and refund.status is RefundStatus.SUCCEEDED
        )

    def _best_sellers(self, shift_id: UUID, limit: int) -> tuple[BestSeller, ...]:
        quantity: Counter[UUID] = Counter()
        sales: Counter[UUID] = Counter()
        names: dict[UUID, str] = {}
        for order, ticket in self.orders(shift_id):
            if ticket is None or ticket.state is TicketState.CANCELLED:
                continue
            for line in order.lines:
                quantity[line.item_id] += line.quantity
                sales[line.item_id] += line.total_cents
                names[line.item_id] = max(names.get(line.item_id, line.name), line.name)
        ranked = sorted(quantity, key=lambda item: (-quantity[item], names[item], item))
        return tuple(
            BestSeller(
                item_id=item, name=names[item], quantity=quantity[item], sales_cents=sales[item]
            )
            for item in ranked[:limit]
        )


def _stats(durations: list[float]) -> DurationStats:
    if not durations:
        return DurationStats(count=0)
    ordered = sorted(durations)
    return DurationStats(
        count=len(ordered),
        average_seconds=round(fmean(ordered), 3),
        p90_seconds=round(percentile_cont(ordered, 0.9) or 0.0, 3),
    )
