"""Capacity through the use cases, on the in-memory adapters and the fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import CapacityFull, Conflict, InvalidInput, NotFound, PermissionDenied
from fusionx.core.messages import Moment
from fusionx.core.model.analytics import AnalyticsRange
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.capacity import CapacityLimits, PickupSlots, Throttle
from fusionx.core.model.events import EventType
from fusionx.core.model.orders import OrderChannel
from fusionx.core.model.principals import DevicePrincipal
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.capacity import DEFAULT_PREP
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftRequest, ChangeShiftState
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlacedOrder,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.commands.set_capacity import SetCapacity, SetCapacityRequest
from fusionx.core.use_cases.commands.transition_ticket import TransitionRequest, TransitionTicket
from fusionx.core.use_cases.queries.view_capacity import CapacitySource, ViewCapacity
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import ShiftWorld, as_principal, make_staff, open_shift_world
from tests.support.entities import a_device
from tests.support.events import stored

SLOTS = CapacityLimits(slots=PickupSlots(slot_minutes=15, orders_per_slot=2))


async def place(
    adapters: Adapters, world: ShiftWorld, quantity: int = 1, **fields: object
) -> PlacedOrder:
    return await PlaceOrder(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal,
        PlaceOrderRequest(
            shift_id=world.shift.id,
            lines=(OrderLineRequest(item_id=world.items[0].id, quantity=quantity),),
            **fields,  # type: ignore[arg-type]
        ),
    )


async def limit(adapters: Adapters, world: ShiftWorld, limits: CapacityLimits) -> None:
    await SetCapacity(adapters.uow(), adapters.clock).for_shift(
        world.principal, world.shift.id, SetCapacityRequest(limits=limits)
    )


async def test_a_full_slot_refuses_and_names_the_next_slot_with_room(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=50)
    await limit(adapters, world, SLOTS)
    clock.advance(timedelta(minutes=3))  # 12:03, in the 12:00 slot

    first, second = await place(adapters, world), await place(adapters, world)
    with pytest.raises(CapacityFull) as full:
        await place(adapters, world)

    noon = world.shift.opened_at.replace(minute=0, second=0, microsecond=0)
    assert first.order.pickup_at == second.order.pickup_at == noon
    assert full.value.limit == "orders_per_slot"
    assert full.value.maximum == 2
    assert full.value.next_slot == (noon + timedelta(minutes=15), noon + timedelta(minutes=30))
    assert full.value.detail.params["next"] == Moment(noon + timedelta(minutes=15), "time")
    # Asking for the slot offered gets it.
    later = await place(adapters, world, pickup_at=full.value.next_slot[0])
    assert later.order.pickup_at == noon + timedelta(minutes=15)
    # Nothing was taken for the refused order.
    async with adapters.uow() as uow:
        assert (await uow.stock.levels(world.shift.id))[world.items[0].id] == 47


async def test_a_cancelled_order_gives_its_slot_back(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=50)
    await limit(adapters, world, SLOTS)
    first = await place(adapters, world)
    await place(adapters, world)

    await TransitionTicket(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal,
        TransitionRequest(
            ticket_id=first.ticket.id,
            target=TicketState.CANCELLED,
            expected_version=1,
            cancel_reason=CancelReason.CUSTOMER_REQUEST,
        ),
    )

    assert (await place(adapters, world)).order.pickup_at == first.order.pickup_at


async def test_the_throttle_counts_items_over_a_rolling_window(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=50)
    await limit(adapters, world, CapacityLimits(throttle=Throttle(window_minutes=10, max_items=8)))
    await place(adapters, world, quantity=5)
    clock.advance(timedelta(minutes=4))
    await place(adapters, world, quantity=3)

    with pytest.raises(CapacityFull) as full:
        await place(adapters, world, quantity=1)
    assert (full.value.limit, full.value.maximum) == ("items_per_window", 8)
    assert full.value.retry_at == world.shift.opened_at + timedelta(minutes=10)
    assert full.value.retry_after_seconds == 6 * 60
    assert full.value.next_slot is None

    clock.advance(timedelta(minutes=6))  # the five leave the window
    assert (await place(adapters, world, quantity=5)).order.number == 3


async def test_a_throttled_order_is_offered_the_first_slot_after_the_window_and_fits_there(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=50)
    throttle = Throttle(window_minutes=20, max_orders=1)
    await limit(adapters, world, CapacityLimits(throttle=throttle, slots=SLOTS.slots))
    await place(adapters, world)
    clock.advance(timedelta(minutes=3))

    with pytest.raises(CapacityFull) as full:
        await place(adapters, world)

    noon = world.shift.opened_at.replace(minute=0, second=0, microsecond=0)
    assert full.value.limit == "orders_per_window"
    # The window runs to 12:23; the first slot after it starts at 12:30.
    assert full.value.next_slot == (noon + timedelta(minutes=30), noon + timedelta(minutes=45))
    assert full.value.retry_at == world.shift.opened_at + timedelta(minutes=20)
    # A pickup after the window is held to its slot only: it gets in at once.
    later = await place(adapters, world, pickup_at=full.value.next_slot[0])
    assert later.order.pickup_at == noon + timedelta(minutes=30)
    # A pickup inside the window is throttled like an order for now.
    with pytest.raises(CapacityFull):
        await place(adapters, world, pickup_at=noon + timedelta(minutes=15))


async def test_the_slot_under_way_may_be_asked_for(adapters: Adapters, clock: ManualClock) -> None:
    world = await open_shift_world(adapters, stock=5)
    await limit(adapters, world, SLOTS)
    clock.advance(timedelta(minutes=10))  # 12:10, in the 12:00 slot
    noon = world.shift.opened_at.replace(minute=0, second=0, microsecond=0)

    placed = await place(adapters, world, pickup_at=noon)

    assert placed.order.pickup_at == noon
    with pytest.raises(InvalidInput):
        await place(adapters, world, pickup_at=noon - timedelta(minutes=1))


async def test_walk_up_orders_may_bypass_the_throttle_but_still_count(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=50)
    bypass = Throttle(window_minutes=10, max_orders=1, window_orders_bypass=True)
    await limit(adapters, world, CapacityLimits(throttle=bypass))

    await place(adapters, world)
    await place(adapters, world)

    async with adapters.uow() as uow:
        assert (
            len(
                await uow.capacity.recent_orders(
                    world.shift.id, world.shift.opened_at - timedelta(minutes=1)
                )
            )
            == 2
        )


async def test_truck_defaults_apply_until_the_shift_has_its_own(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=50)
    view = ViewCapacity(adapters.uow())
    assert (await view.for_shift(world.principal, world.shift.id)).source is CapacitySource.NONE

    await SetCapacity(adapters.uow(), adapters.clock).for_truck(
        world.principal, world.truck.id, SetCapacityRequest(limits=SLOTS)
    )
    in_force = await view.for_shift(world.principal, world.shift.id)
    assert in_force.source is CapacitySource.TRUCK
    await place(adapters, world)
    await place(adapters, world)
    with pytest.raises(CapacityFull):
        await place(adapters, world)

    await limit(adapters, world, CapacityLimits())  # the shift's own: no limit
    assert (await view.for_shift(world.principal, world.shift.id)).source is CapacitySource.SHIFT
    assert (await place(adapters, world)).order.number == 3


async def test_a_change_is_an_event_naming_who_made_it(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=1)

    await limit(adapters, world, SLOTS)

    async with adapters.uow() as uow:
        events = await uow.events.since(world.shift.id, 0)
        setting = await uow.capacity.for_shift(world.shift.id)
    changed = [e for e in events if e.type is EventType.CAPACITY_CHANGED]
    assert len(changed) == 1
    assert stored(changed[0])["actor"] == {"kind": "staff", "id": str(world.manager.id)}
    assert stored(changed[0])["limits"]["slots"] == {"slot_minutes": 15, "orders_per_slot": 2}
    assert setting is not None
    assert setting.updated_by.id == world.manager.id


async def test_only_managers_of_the_truck_set_capacity(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=1)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[world.truck])
    stranger = await make_staff(adapters, role=Role.MANAGER)
    device = DevicePrincipal(
        device=a_device(world.truck.id, world.manager.id), token_id=world.manager.id
    )
    use_case = SetCapacity(adapters.uow(), adapters.clock)
    request = SetCapacityRequest(limits=SLOTS)

    with pytest.raises(PermissionDenied):
        await use_case.for_shift(as_principal(crew), world.shift.id, request)
    with pytest.raises(PermissionDenied):
        await use_case.for_shift(device, world.shift.id, request)
    with pytest.raises(NotFound):
        await use_case.for_shift(as_principal(stranger), world.shift.id, request)
    with pytest.raises(NotFound):
        await use_case.for_truck(as_principal(stranger), world.truck.id, request)
    # Reading is for anyone of the truck, devices included.
    assert (await ViewCapacity(adapters.uow()).for_shift(device, world.shift.id)).setting is None


async def test_a_closed_shift_keeps_its_capacity(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=0)
    await ChangeShiftState(adapters.uow(), adapters.clock).execute(
        world.principal, ChangeShiftRequest(shift_id=world.shift.id, target=ShiftState.CLOSED)
    )
    with pytest.raises(Conflict):
        await limit(adapters, world, SLOTS)


async def test_a_pickup_time_must_be_within_the_next_day(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=5)
    for wrong in (clock.now() - timedelta(minutes=5), clock.now() + timedelta(hours=25)):
        with pytest.raises(InvalidInput) as error:
            await place(adapters, world, pickup_at=wrong)
        assert error.value.field == "pickup_at"


async def test_each_order_is_promised_a_time_from_the_queue_and_recent_preps(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=50)
    first = await place(adapters, world)
    assert first.order.promised_ready_at == clock.now() + DEFAULT_PREP
    second = await place(adapters, world)
    assert second.order.promised_ready_at == clock.now() + 2 * DEFAULT_PREP

    move = TransitionTicket(adapters.uow(), adapters.clock, adapters.ids)
    await move.execute(
        world.principal,
        TransitionRequest(
            ticket_id=first.ticket.id, target=TicketState.IN_PREP, expected_version=1
        ),
    )
    clock.advance(timedelta(seconds=90))
    await move.execute(
        world.principal,
        TransitionRequest(ticket_id=first.ticket.id, target=TicketState.READY, expected_version=2),
    )

    # One ticket ahead (the second), at the 90 seconds the first took.
    third = await place(adapters, world)
    assert third.order.promised_ready_at == clock.now() + timedelta(seconds=180)
    async with adapters.uow() as uow:
        feed = await uow.tickets.feed(world.shift.id, [TicketState.NEW])
    assert [t.promised_ready_at for t in feed] == [
        second.order.promised_ready_at,
        third.order.promised_ready_at,
    ]


async def test_a_later_pickup_slot_is_promised_no_earlier_than_it_starts(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=5)
    await limit(adapters, world, SLOTS)
    slot = clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)

    placed = await place(adapters, world, pickup_at=slot + timedelta(minutes=7))

    assert placed.order.pickup_at == slot
    assert placed.order.promised_ready_at == slot


async def test_an_online_order_awaiting_payment_holds_its_slot(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=50)
    await limit(adapters, world, SLOTS)

    online = await place(adapters, world, channel=OrderChannel.ONLINE)
    await place(adapters, world)

    assert online.order.pickup_at is not None
    with pytest.raises(CapacityFull):
        await place(adapters, world)


async def test_throttle_refusals_are_counted_for_the_analytics_and_full_slots_are_not(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=50)
    throttle = Throttle(window_minutes=10, max_orders=1)
    await limit(adapters, world, CapacityLimits(throttle=throttle, slots=SLOTS.slots))
    await place(adapters, world)
    for _ in range(2):
        with pytest.raises(CapacityFull) as refused:
            await place(adapters, world)
        assert refused.value.limit == "orders_per_window"
    # A later pickup is held to its slot only: the slot, full, refuses it; no throttle.
    later = world.shift.opened_at + timedelta(hours=2)
    await place(adapters, world, pickup_at=later)
    await place(adapters, world, pickup_at=later)
    with pytest.raises(CapacityFull) as full:
        await place(adapters, world, pickup_at=later)
    assert full.value.limit == "orders_per_slot"

    today = clock.now().date()
    span = AnalyticsRange(first=today - timedelta(days=1), last=today + timedelta(days=1))
    async with adapters.uow() as uow:
        figures = await uow.analytics.report(None, span, clock.now())
    assert sum(bucket.throttle_refusals for bucket in figures) == 2
