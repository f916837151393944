"""The weekly summary's figures and sent record in memory: the SQL answers, in Python."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.orders import Order
from fusionx.core.model.refunds import RefundStatus
from fusionx.core.model.summary import BestSeller
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.weekly_summary import WeekFigures
from fusionx.core.rules.statistics import percentile_cont


class InMemoryWeeklySummaries:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def claim(self, staff_id: UUID, week: date, at: datetime) -> bool:
        # Units of work take turns (the store's write lock): a committed claim is seen.
        sent = self._t.weekly_summaries_sent
        if any(who == staff_id and when >= week for who, when in sent):
            return False
        sent[staff_id, week] = at
        return True

    async def figures(
        self, truck_ids: frozenset[UUID] | None, days: Sequence[datetime], *, top: int = 5
    ) -> WeekFigures:
        shifts = {
            shift.id
            for shift in self._t.shifts.values()
            if truck_ids is None or shift.truck_id in truck_ids
        }
        tickets = {t.order_id: t for t in self._t.tickets.values() if t.shift_id in shifts}
        start, end = days[0], days[-1]
        pairs = [
            (order, tickets[order.id])
            for order in self._t.orders.values()
            if order.id in tickets and start <= order.created_at < end
        ]
        live = [(o, t) for o, t in pairs if t.state is not TicketState.CANCELLED]
        daily = Counter(bisect_right(days, order.created_at) - 1 for order, _ in pairs)
        preps = sorted(
            (t.ready_at - t.prep_at).total_seconds()
            for _, t in pairs
            if t.prep_at is not None and t.ready_at is not None
        )
        counted = {order.id for order, _ in live}
        return WeekFigures(
            orders=len(pairs),
            gross_cents=sum(order.total_cents for order, _ in pairs),
            cancelled_cents=sum(
                o.total_cents for o, t in pairs if t.state is TicketState.CANCELLED
            ),
            refunded_cents=sum(
                refund.amount_cents
                for refund in self._t.refunds.values()
                if refund.order_id in counted and refund.status is RefundStatus.SUCCEEDED
            ),
            live_orders=len(live),
            daily_orders=tuple(daily.get(n, 0) for n in range(len(days) - 1)),
            prep_p50_seconds=_rounded(percentile_cont(preps, 0.5)),
            prep_p90_seconds=_rounded(percentile_cont(preps, 0.9)),
            top_items=_top([order for order, _ in live], top),
        )

    async def usual_zone(self, truck_ids: frozenset[UUID] | None) -> str | None:
        shifts = [
            shift
            for shift in self._t.shifts.values()
            if truck_ids is None or shift.truck_id in truck_ids
        ]
        if not shifts:
            return None
        latest = max(shifts, key=lambda shift: (shift.opened_at, shift.id))
        location = self._t.locations.get(latest.location_id)
        return None if location is None else location.timezone


def _top(orders: list[Order], limit: int) -> tuple[BestSeller, ...]:
    quantity: Counter[UUID] = Counter()
    sales: Counter[UUID] = Counter()
    names: dict[UUID, str] = {}
    for order in orders:
        for line in order.lines:
            quantity[line.item_id] += line.quantity
            sales[line.item_id] += line.quantity * line.unit_price_cents
            names[line.item_id] = max(names.get(line.item_id, line.name), line.name)
    ranked = sorted(quantity, key=lambda item: (-quantity[item], names[item], item))
    return tuple(
        BestSeller(item_id=item, name=names[item], quantity=quantity[item], sales_cents=sales[item])
        for item in ranked[:limit]
    )


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3)
