"""Net sales are one rule, whoever reads them: for the same orders, with a cancellation
and a partial refund, the shift summary, the weekly summary and fleet analytics (read
from the base rows and from the rollup) give the same net, on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import msgspec

from fusionx.core.model.analytics import AnalyticsRange, Bucket
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.orders import Order
from fusionx.core.model.refunds import Refund, RefundStatus
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.rules.summary_weeks import day_starts, zone_named
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_ticket, an_actor, an_order, new_id
from tests.support.scenes import a_shift_scene, with_tickets

PARIS = zone_named("Europe/Paris")
WEEK = date(2026, 3, 9)  # a Monday
DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 12, 9, tzinfo=UTC)


def _paris(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 10, hour, minute, tzinfo=PARIS).astimezone(UTC)


def _refund(order: Order, cents: int, status: RefundStatus) -> Refund:
    return Refund(
        id=new_id(),
        order_id=order.id,
        shift_id=order.shift_id,
        reason=CancelReason.KITCHEN_ERROR,
        amount_cents=cents,
        lines=(),
        actor=an_actor(),
        at=_paris(15),
        status=status,
    )


async def test_shift_week_and_analytics_agree_on_net_sales(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory, items=2, location={"timezone": "Europe/Paris"})
    items = list(scene.items)
    kept, cancelled, refunded = (
        an_order(scene.shift.id, items, number=1, created_at=_paris(12, 10)),
        an_order(scene.shift.id, items, number=2, created_at=_paris(12, 40)),
        an_order(scene.shift.id, items[:1], number=3, created_at=_paris(13, 5)),
    )

    def ticket_for(order: Order) -> Ticket:
        state = TicketState.CANCELLED if order is cancelled else TicketState.COMPLETED
        return a_ticket(order, state=state)

    await with_tickets(uow_factory, (kept, cancelled, refunded), ticket_for)
    async with uow_factory() as uow:
        await uow.shifts.update(msgspec.structs.replace(scene.shift, opened_at=_paris(9)))
        partial = refunded.total_cents // 3
        await uow.refunds.add(_refund(refunded, partial, RefundStatus.SUCCEEDED))
        await uow.refunds.add(_refund(refunded, 1, RefundStatus.PENDING))  # not given yet
        await uow.refunds.add(_refund(kept, 2, RefundStatus.FAILED))  # never given
        # A cancelled order is out of net sales already: its refund takes nothing off.
        await uow.refunds.add(_refund(cancelled, cancelled.total_cents, RefundStatus.SUCCEEDED))
        await uow.commit()

    expected = kept.total_cents + refunded.total_cents - partial
    truck = frozenset({scene.truck.id})
    day = AnalyticsRange(first=DAY, last=DAY, bucket=Bucket.DAY)
    async with uow_factory() as uow:
        shift = await uow.summaries.figures(scene.shift.id)
        week = await uow.weekly_summaries.figures(truck, day_starts(WEEK, PARIS))
        [open_shift] = await uow.analytics.report(truck, day, NOW)

    assert (shift.net_cents, week.net_cents, open_shift.net_cents) == (expected,) * 3
    assert (week.cancelled_cents, week.refunded_cents) == (cancelled.total_cents, partial)
    assert week.average_ticket_cents == round(expected / 2)

    await _close_and_roll_up(uow_factory, scene.shift.id)
    async with uow_factory() as uow:
        [rolled_up] = await uow.analytics.report(truck, day, NOW)
    assert rolled_up.net_cents == expected


async def _close_and_roll_up(uow_factory: UnitOfWorkFactory, shift_id: UUID) -> None:
    async with uow_factory() as uow:
        shift = await uow.shifts.get(shift_id)
        assert shift is not None
        closed = msgspec.structs.replace(shift, state=ShiftState.CLOSED, closed_at=_paris(23))
        await uow.shifts.update(closed)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.analytics.roll_up(NOW, limit=10)
        await uow.commit()
