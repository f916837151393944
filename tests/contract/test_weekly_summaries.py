"""The weekly summary's store on every backend: a week's figures on some trucks, the
zone of their latest shift, and the sent record claimed once per recipient and week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fusionx.core.model.orders import Order
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.rules.summary_weeks import day_starts, zone_named
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_staff_member, a_ticket, an_order
from tests.support.scenes import a_shift_scene, with_tickets

PARIS = zone_named("Europe/Paris")
# Monday 2026-03-23 to Sunday 2026-03-29, across the spring-forward night in Paris.
WEEK = date(2026, 3, 23)
DAYS = day_starts(WEEK, PARIS)


def _at(day: int, hour: int) -> datetime:
    """``hour`` o'clock in Paris on the week's ``day`` (0 is Monday), in UTC."""
    local = datetime(2026, 3, 23 + day, hour, tzinfo=PARIS)
    return local.astimezone(UTC)


async def test_a_week_of_orders_is_counted_by_local_day_with_cancellations_apart(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory, items=2, location={"timezone": "Europe/Paris"})
    other = await a_shift_scene(uow_factory, items=1)
    items = list(scene.items)
    placed = [
        # Monday just after local midnight (still Sunday in UTC), twice on Sunday at
        # 23:30 local, the last moments of the week (after the clocks went forward).
        an_order(scene.shift.id, items, number=1, created_at=_at(0, 0) + timedelta(minutes=1)),
        an_order(scene.shift.id, items, number=2, created_at=_at(6, 23) + timedelta(minutes=30)),
        an_order(
            scene.shift.id, items[:1], number=3, created_at=_at(6, 23) + timedelta(minutes=31)
        ),
        # Cancelled on Wednesday; then outside the week; then another truck's.
        an_order(scene.shift.id, items, number=4, created_at=_at(2, 12)),
        an_order(scene.shift.id, items, number=5, created_at=DAYS[-1]),
        an_order(other.shift.id, list(other.items), number=1, created_at=_at(1, 12)),
    ]
    prep_start = _at(0, 12)

    def ticket_for(order: Order) -> Ticket:
        if order.number == 4 and order.shift_id == scene.shift.id:
            return a_ticket(order, state=TicketState.CANCELLED)
        if order.number in (1, 2) and order.shift_id == scene.shift.id:
            seconds = 60 if order.number == 1 else 180
            return a_ticket(
                order,
                state=TicketState.READY,
                prep_at=prep_start,
                ready_at=prep_start + timedelta(seconds=seconds),
            )
        return a_ticket(order)

    await with_tickets(uow_factory, placed, ticket_for)

    async with uow_factory() as uow:
        figures = await uow.weekly_summaries.figures(frozenset({scene.truck.id}), DAYS, top=1)
        fleet = await uow.weekly_summaries.figures(None, DAYS)

    mine = placed[:4]
    assert figures.orders == 4
    assert figures.live_orders == 3
    assert figures.gross_cents == sum(order.total_cents for order in mine)
    assert figures.net_cents == sum(order.total_cents for order in mine[:3])
    assert figures.daily_orders == (1, 0, 1, 0, 0, 0, 2)
    assert (figures.prep_p50_seconds, figures.prep_p90_seconds) == (120.0, 168.0)
    [best] = figures.top_items
    # Item 1 is in every live order (quantity 1 each), item 2 in two (quantity 2 each).
    assert (best.item_id, best.quantity) == (items[1].id, 4)
    assert fleet.orders == 5
    assert fleet.daily_orders == (1, 1, 1, 0, 0, 0, 2)


async def test_no_orders_make_empty_figures(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        figures = await uow.weekly_summaries.figures(None, DAYS)

    assert (figures.orders, figures.gross_cents, figures.net_cents) == (0, 0, 0)
    assert figures.daily_orders == (0,) * 7
    assert figures.average_ticket_cents is None
    assert (figures.prep_p50_seconds, figures.top_items) == (None, ())


async def test_the_usual_zone_is_the_latest_shifts_location(
    uow_factory: UnitOfWorkFactory,
) -> None:
    paris = await a_shift_scene(uow_factory, items=0, location={"timezone": "Europe/Paris"})
    lisbon = await a_shift_scene(uow_factory, items=0, location={"timezone": "Europe/Lisbon"})
    latest = max((paris, lisbon), key=lambda scene: (scene.shift.opened_at, scene.shift.id))

    async with uow_factory() as uow:
        assert await uow.weekly_summaries.usual_zone(frozenset({paris.truck.id})) == (
            "Europe/Paris"
        )
        both = frozenset({paris.truck.id, lisbon.truck.id})
        assert await uow.weekly_summaries.usual_zone(both) == latest.location.timezone
        assert await uow.weekly_summaries.usual_zone(None) == latest.location.timezone
        assert await uow.weekly_summaries.usual_zone(frozenset()) is None


async def test_a_week_is_claimed_once_per_recipient_and_never_an_earlier_one_after(
    uow_factory: UnitOfWorkFactory,
) -> None:
    owner, manager = a_staff_member(), a_staff_member()
    at = datetime(2026, 3, 30, 6, tzinfo=UTC)
    async with uow_factory() as uow:
        await uow.staff.add(owner)
        await uow.staff.add(manager)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.weekly_summaries.claim(owner.id, WEEK, at)
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.weekly_summaries.claim(owner.id, WEEK, at)
        assert not await uow.weekly_summaries.claim(owner.id, WEEK - timedelta(days=7), at)
        assert await uow.weekly_summaries.claim(manager.id, WEEK, at)
        # Not committed: the claim goes with the unit.
    async with uow_factory() as uow:
        assert await uow.weekly_summaries.claim(manager.id, WEEK, at)
        assert await uow.weekly_summaries.claim(owner.id, WEEK + timedelta(days=7), at)
        await uow.commit()
