"""The live fleet view's counts, alike on every backend: open shifts, the last hour's
orders across a truck's shifts, the open shift's queue and typical prep time, and the
devices gone quiet; only active trucks, only those asked for."""

from __future__ import annotations

from datetime import timedelta

from fusionx.core.model.fleet_live import LiveShift, QuietDevice, TruckActivity
from fusionx.core.model.orders import OrderState
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.tickets import TicketState
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import (
    T0,
    a_device,
    a_location,
    a_shift,
    a_staff_member,
    a_ticket,
    a_truck,
    an_order,
)

NOW = T0 + timedelta(hours=5)
HOUR_AGO = NOW - timedelta(hours=1)


async def test_each_active_truck_is_counted_from_its_shifts_tickets_and_devices(  # noqa: PLR0914
    uow_factory: UnitOfWorkFactory,
) -> None:
    busy, parked, retired = a_truck("A busy one"), a_truck("B parked"), a_truck("C", active=False)
    place, registrar = a_location(), a_staff_member()
    earlier = a_shift(
        busy.id, place.id, state=ShiftState.CLOSED, opened_at=T0, closed_at=NOW - timedelta(hours=2)
    )
    now_open = a_shift(busy.id, place.id, state=ShiftState.PAUSED, opened_at=NOW - timedelta(hours=1))
    parked_shift = a_shift(
        parked.id, place.id, state=ShiftState.CLOSED, opened_at=T0, closed_at=NOW - timedelta(minutes=5)
    )
    orders = [
        # Counted: in the hour, reached the kitchen, on either of a truck's shifts.
        an_order(now_open.id, [], number=1, created_at=HOUR_AGO),
        an_order(now_open.id, [], number=2, created_at=NOW - timedelta(minutes=1)),
        an_order(parked_shift.id, [], number=1, created_at=NOW - timedelta(minutes=30)),
        # Not: before the hour, or not in the kitchen.
        an_order(earlier.id, [], number=1, created_at=HOUR_AGO - timedelta(microseconds=1)),
        an_order(now_open.id, [], number=3, created_at=NOW, state=OrderState.AWAITING_PAYMENT),
        an_order(now_open.id, [], number=4, created_at=NOW, state=OrderState.NEEDS_REFUND),
    ]
    # The open shift's kitchen: two queued, and twelve made whose latest ten count.
    made = [
        an_order(now_open.id, [], number=10 + n, created_at=T0 + timedelta(minutes=n))
        for n in range(12)
    ]
    tickets = [
        a_ticket(orders[0], state=TicketState.NEW),
        a_ticket(orders[1], state=TicketState.IN_PREP, prep_at=NOW),
        *[
            a_ticket(
                order,
                state=TicketState.COMPLETED,
                prep_at=T0 + timedelta(minutes=n),
                ready_at=T0 + timedelta(minutes=n, seconds=60 + 10 * n),
            )
            for n, order in enumerate(made)
        ],
    ]
    quiet = a_device(busy.id, registrar.id, label="Pass", last_seen_at=NOW - timedelta(minutes=3))
    quieter = a_device(busy.id, registrar.id, label="Grill", last_seen_at=T0)
    others = [
        a_device(busy.id, registrar.id, last_seen_at=NOW),  # fresh
        a_device(busy.id, registrar.id, last_seen_at=None),  # never seen: not started
        a_device(busy.id, registrar.id, last_seen_at=T0, revoked_at=T0),  # gone
    ]
    async with uow_factory() as uow:
        for truck in (busy, parked, retired):
            await uow.trucks.add(truck)
        await uow.locations.add(place)
        await uow.staff.add(registrar)
        for shift in (earlier, now_open, parked_shift):
            await uow.shifts.add(shift)
        for order in [*orders, *made]:
            await uow.orders.add(order)
        for ticket in tickets:
            await uow.tickets.add(ticket)
        for device in (quiet, quieter, *others):
            await uow.devices.add(device)
        await uow.commit()

    async with uow_factory() as uow:
        every = await uow.fleet_activity.trucks(
            None, orders_since=HOUR_AGO, seen_before=NOW - timedelta(minutes=2)
        )
        only_parked = await uow.fleet_activity.trucks(
            [parked.id, retired.id], orders_since=HOUR_AGO, seen_before=NOW
        )
        none = await uow.fleet_activity.trucks([], orders_since=HOUR_AGO, seen_before=NOW)

    latest_ten = [60 + 10 * n for n in range(2, 12)]
    assert every == [
        TruckActivity(
            truck_id=busy.id,
            truck_name="A busy one",
            shift=LiveShift(
                id=now_open.id,
                location_id=place.id,
                state=ShiftState.PAUSED,
                opened_at=now_open.opened_at,
            ),
            orders_last_hour=2,
            queued_tickets=2,
            typical_prep_seconds=sum(latest_ten) / 10,
            quiet_devices=(
                QuietDevice(id=quieter.id, label="Grill", last_seen_at=T0),
                QuietDevice(id=quiet.id, label="Pass", last_seen_at=quiet.last_seen_at),
            ),
        ),
        TruckActivity(
            truck_id=parked.id,
            truck_name="B parked",
            shift=None,
            orders_last_hour=1,
            queued_tickets=0,
            typical_prep_seconds=None,
            quiet_devices=(),
        ),
    ]
    assert only_parked == [every[1]]
    assert none == []
