"""Fleet analytics in memory: every shift rolled up from its rows at each query (no
rollup to keep), so the answers are the definition the SQL ones are tested against."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.analytics import AnalyticsRange, BucketFigures, ShiftRollup
from fusionx.core.model.analytics_facts import LineFact, MovementFact, OrderFact, ShiftFacts
from fusionx.core.model.refunds import RefundStatus
from fusionx.core.model.shifts import Shift
from fusionx.core.model.summary import BestSeller
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.analytics import (
    BucketKey,
    ItemTally,
    Tally,
    add_items,
    add_rollup,
    buckets_of,
    roll_up,
    top_of,
)

_QUARTER = timedelta(minutes=15)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InMemoryFleetAnalytics:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def report(
        self, trucks: frozenset[UUID] | None, span: AnalyticsRange, now: datetime
    ) -> tuple[BucketFigures, ...]:
        tallies: dict[BucketKey, Tally] = {}
        for rollup in self._rollups(trucks, now):
            add_rollup(tallies, rollup, span.bucket, span.first, span.last)
        return buckets_of(tallies)

    async def top_items(
        self, trucks: frozenset[UUID] | None, first: date, last: date, limit: int, now: datetime
    ) -> tuple[BestSeller, ...]:
        sold: dict[UUID, ItemTally] = {}
        for rollup in self._rollups(trucks, now):
            add_items(sold, rollup, first, last)
        return top_of(sold, limit)

    async def roll_up(self, now: datetime, *, limit: int) -> int:  # noqa: ARG002
        return 0  # every query reads the rows themselves

    async def count_refusal(self, shift_id: UUID, at: datetime) -> None:
        quarter = _EPOCH + ((at - _EPOCH) // _QUARTER) * _QUARTER
        counts = self._t.throttle_refusals
        counts[shift_id, quarter] = counts.get((shift_id, quarter), 0) + 1

    def _rollups(self, trucks: frozenset[UUID] | None, now: datetime) -> list[ShiftRollup]:
        return [
            roll_up(self._facts(shift, now))
            for shift in self._t.shifts.values()
            if trucks is None or shift.truck_id in trucks
        ]

    def _facts(self, shift: Shift, now: datetime) -> ShiftFacts:
        tickets = {ticket.order_id: ticket for ticket in self._t.tickets.values()}
        orders = []
        for order in self._t.orders.values():
            ticket = tickets.get(order.id)
            if order.shift_id != shift.id or ticket is None:
                continue
            cancelled = ticket.state is TicketState.CANCELLED
            cancellation = self._t.cancellations.get(order.id)
            orders.append(
                OrderFact(
                    created_at=order.created_at,
                    total_cents=order.total_cents,
                    cancelled=cancelled,
                    cancel_reason=cancellation.reason if cancelled and cancellation else None,
                    prep_at=ticket.prep_at,
                    ready_at=ticket.ready_at,
                    refunds=tuple(
                        (refund.reason, refund.amount_cents)
                        for refund in self._t.refunds.values()
                        if refund.order_id == order.id and refund.status is RefundStatus.SUCCEEDED
                    ),
                    lines=tuple(
                        LineFact(line.item_id, line.name, line.quantity, line.unit_price_cents)
                        for line in order.lines
                    ),
                )
            )
        return ShiftFacts(
            shift_id=shift.id,
            truck_id=shift.truck_id,
            zone=self._t.locations[shift.location_id].timezone,
            ends_at=shift.closed_at or now,
            orders=tuple(orders),
            movements=tuple(
                MovementFact(movement.item_id, movement.at, movement.on_hand_after, movement.delta)
                for movement in self._t.ledger.get(shift.id, ())
            ),
            refusals=tuple(
                (quarter, count)
                for (shift_id, quarter), count in self._t.throttle_refusals.items()
                if shift_id == shift.id
            ),
        )
