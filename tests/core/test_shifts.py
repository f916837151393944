from __future__ import annotations

import pytest

from fusionx.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fusionx.core.model.events import EventType
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftRequest, ChangeShiftState
from fusionx.core.use_cases.commands.check_in_truck import CheckInRequest, CheckInTruck
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.queries.view_shift import ViewShift
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import (
    ShiftWorld,
    as_principal,
    make_location,
    make_staff,
    make_truck,
    open_shift_world,
)


def change(adapters: Adapters) -> ChangeShiftState:
    return ChangeShiftState(adapters.uow(), adapters.clock)


async def order(adapters: Adapters, world: ShiftWorld) -> None:
    await PlaceOrder(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal,
        PlaceOrderRequest(
            shift_id=world.shift.id,
            lines=(OrderLineRequest(item_id=world.items[0].id, quantity=1),),
        ),
    )


async def test_a_truck_checks_in_once_until_it_checks_out(adapters: Adapters) -> None:
    world = await open_shift_world(adapters)
    location = await make_location(adapters, "Harbour")
    check_in = CheckInTruck(adapters.uow(), adapters.clock, adapters.ids)
    request = CheckInRequest(truck_id=world.truck.id, location_id=location.id)

    with pytest.raises(Conflict) as error:
        await check_in.execute(world.principal, request)
    assert error.value.context == {"open_shift_id": str(world.shift.id)}

    await change(adapters).execute(
        world.principal, ChangeShiftRequest(shift_id=world.shift.id, target=ShiftState.CLOSED)
    )
    second = await CheckInTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal, request
    )
    assert second.state is ShiftState.OPEN


async def test_only_staff_of_the_truck_check_it_in(adapters: Adapters) -> None:
    truck, other = await make_truck(adapters), await make_truck(adapters, "Other")
    location = await make_location(adapters)
    outsider = await make_staff(adapters, role=Role.MANAGER, trucks=[other])

    with pytest.raises(NotFound):
        await CheckInTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
            as_principal(outsider), CheckInRequest(truck_id=truck.id, location_id=location.id)
        )


async def test_pause_resume_and_close_are_recorded_with_who_and_when(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=0)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[world.truck])

    for target in (ShiftState.PAUSED, ShiftState.OPEN, ShiftState.CLOSED):
        await change(adapters).execute(
            as_principal(crew), ChangeShiftRequest(shift_id=world.shift.id, target=target)
        )

    details = await ViewShift(adapters.uow(), adapters.clock).details(
        world.principal, world.shift.id
    )
    assert [(t.source, t.target) for t in details.history] == [
        (None, ShiftState.OPEN),
        (ShiftState.OPEN, ShiftState.PAUSED),
        (ShiftState.PAUSED, ShiftState.OPEN),
        (ShiftState.OPEN, ShiftState.CLOSED),
    ]
    assert details.history[-1].actor.id == crew.id
    assert details.shift.closed_at == adapters.clock.now()
    async with adapters.uow() as uow:
        events = await uow.events.since(world.shift.id, 0)
    assert [e.type for e in events if e.type.startswith("shift.")] == [
        EventType.SHIFT_OPENED,
        EventType.SHIFT_PAUSED,
        EventType.SHIFT_RESUMED,
        EventType.SHIFT_CLOSED,
    ]


async def test_a_closed_shift_stays_closed(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=0)
    close = ChangeShiftRequest(shift_id=world.shift.id, target=ShiftState.CLOSED)
    await change(adapters).execute(world.principal, close)

    with pytest.raises(Conflict) as error:
        await change(adapters).execute(
            world.principal, ChangeShiftRequest(shift_id=world.shift.id, target=ShiftState.OPEN)
        )
    assert error.value.context == {"state": "closed"}


async def test_checkout_with_open_tickets_is_refused_listing_them(adapters: Adapters) -> None:
    world = await open_shift_world(adapters)
    await order(adapters, world)

    with pytest.raises(Conflict) as error:
        await change(adapters).execute(
            world.principal, ChangeShiftRequest(shift_id=world.shift.id, target=ShiftState.CLOSED)
        )
    assert [t["number"] for t in error.value.context["open_tickets"]] == [1]


async def test_a_forced_checkout_needs_a_reason_and_cancels_open_tickets(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters)
    await order(adapters, world)
    with pytest.raises(InvalidInput) as error:
        await change(adapters).execute(
            world.principal,
            ChangeShiftRequest(shift_id=world.shift.id, target=ShiftState.CLOSED, force=True),
        )
    assert error.value.field == "reason"

    await change(adapters).execute(
        world.principal,
        ChangeShiftRequest(
            shift_id=world.shift.id, target=ShiftState.CLOSED, force=True, reason="Generator died"
        ),
    )

    async with adapters.uow() as uow:
        (ticket,) = await uow.tickets.feed(world.shift.id, list(TicketState))
        history = await uow.tickets.history(ticket.id)
    assert ticket.state is TicketState.CANCELLED
    assert history[-1].reason == "Generator died"


async def test_a_device_cannot_close_a_shift(adapters: Adapters) -> None:
    from fusionx.core.model.principals import DevicePrincipal  # noqa: PLC0415
    from fusionx.core.use_cases.commands.register_device import RegisterDevice  # noqa: PLC0415
    from tests.factories import RegisterDeviceRequestFactory  # noqa: PLC0415

    world = await open_shift_world(adapters, stock=0)
    registered = await RegisterDevice(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal, RegisterDeviceRequestFactory.build(truck_id=world.truck.id)
    )
    device = DevicePrincipal(device=registered.device, token_id=registered.device.id)

    with pytest.raises(PermissionDenied):
        await change(adapters).execute(
            device, ChangeShiftRequest(shift_id=world.shift.id, target=ShiftState.CLOSED)
        )
