"""FollowFleetLive over the in-memory adapters and the hub: the view, then each truck's
changes as they are committed, to the readers who may see that truck only."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from datetime import timedelta

import msgspec
import pytest

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import AuthenticationRequired, PermissionDenied
from fusionx.core.messages import Message
from fusionx.core.model.fleet_live import LiveChange, LiveChangeKind, LiveMessage, LiveSnapshot
from fusionx.core.model.principals import Principal, StaffPrincipal
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftRequest, ChangeShiftState
from fusionx.core.use_cases.queries.follow_fleet_live import FollowFleetLive
from fusionx.entrypoints.bootstrap import Adapters
from tests.events.conftest import place_order
from tests.factories import ShiftWorld, as_principal, make_staff, open_shift_world
from tests.support.entities import a_device

REFRESH = timedelta(seconds=0.1)


class Reader:
    """Consumes a stream in the background, for tests to inspect."""

    def __init__(self, stream: AsyncGenerator[LiveMessage, None]) -> None:
        self._received: asyncio.Queue[LiveMessage | BaseException] = asyncio.Queue()
        self._task = asyncio.create_task(self._consume(stream))

    async def _consume(self, stream: AsyncGenerator[LiveMessage, None]) -> None:
        try:
            async for message in stream:
                self._received.put_nowait(message)
        except Exception as error:  # noqa: BLE001 - handed to the test
            self._received.put_nowait(error)

    async def take(self) -> LiveMessage | BaseException:
        """The next message, within the second the view promises."""
        return await asyncio.wait_for(self._received.get(), 1.0)

    async def change(self) -> LiveChange:
        message = await self.take()
        assert isinstance(message, LiveChange), message
        return message

    async def nothing_more(self) -> bool:
        await asyncio.sleep(0.1)
        return self._received.empty()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


@pytest.fixture
async def taco(adapters: Adapters) -> ShiftWorld:
    return await open_shift_world(adapters)


@pytest.fixture
async def curry(adapters: Adapters) -> ShiftWorld:
    return await open_shift_world(adapters)


async def _same(principal: Principal) -> Principal:
    return principal


def reading(
    adapters: Adapters,
    principal: Principal,
    *,
    refresh: timedelta = timedelta(minutes=5),
    held: str | None = None,
) -> Reader:
    follow = FollowFleetLive(
        adapters.reader, adapters.bus, adapters.clock, adapters.device_stale_after, refresh
    )
    return Reader(follow.open(principal, lambda: _same(principal), held))


async def test_an_order_reaches_the_owner_and_its_trucks_manager_only(
    adapters: Adapters, taco: ShiftWorld, curry: ShiftWorld
) -> None:
    owner = as_principal(await make_staff(adapters, role=Role.OWNER))
    readers = [reading(adapters, owner), reading(adapters, taco.principal)]
    others = reading(adapters, curry.principal)
    snapshots = [await r.take() for r in (*readers, others)]

    await asyncio.sleep(0.05)
    loop = asyncio.get_running_loop()
    placed_at = loop.time()
    await place_order(adapters, taco)
    changes = [await r.change() for r in readers]
    took = loop.time() - placed_at

    assert all(isinstance(s, LiveSnapshot) for s in snapshots)
    owner_view, taco_view, curry_view = (s.view for s in snapshots)  # type: ignore[union-attr]
    assert {t.truck_id for t in owner_view.trucks} == {taco.truck.id, curry.truck.id}
    assert [t.truck_id for t in taco_view.trucks] == [taco.truck.id]
    assert [t.truck_id for t in curry_view.trucks] == [curry.truck.id]
    assert took < 1.0
    for change in changes:
        assert change.kind is LiveChangeKind.ORDERS_CHANGED
        assert change.truck_id == taco.truck.id
        assert change.truck is not None
        assert (change.truck.orders_last_hour, change.truck.queued_tickets) == (1, 1)
        assert change.totals.orders_last_hour == 1
    assert await others.nothing_more()
    for reader in (*readers, others):
        await reader.close()


async def test_shifts_closing_and_opening_are_told_with_the_totals(
    adapters: Adapters, taco: ShiftWorld, curry: ShiftWorld
) -> None:
    owner = as_principal(await make_staff(adapters, role=Role.OWNER))
    reader = reading(adapters, owner)
    snapshot = await reader.take()
    assert isinstance(snapshot, LiveSnapshot)
    assert snapshot.view.totals.open_shifts == 2

    await ChangeShiftState(adapters.uow(), adapters.clock).execute(
        taco.principal, ChangeShiftRequest(shift_id=taco.shift.id, target=ShiftState.PAUSED)
    )
    paused = await reader.change()
    await ChangeShiftState(adapters.uow(), adapters.clock).execute(
        taco.principal, ChangeShiftRequest(shift_id=taco.shift.id, target=ShiftState.OPEN)
    )
    resumed = await reader.change()
    await ChangeShiftState(adapters.uow(), adapters.clock).execute(
        curry.principal, ChangeShiftRequest(shift_id=curry.shift.id, target=ShiftState.CLOSED)
    )
    closed = await reader.change()

    assert (paused.kind, paused.truck_id) == (LiveChangeKind.SHIFT_CHANGED, taco.truck.id)
    assert paused.truck is not None
    assert paused.truck.wait_seconds is None
    assert resumed.truck is not None
    assert resumed.truck.wait_seconds is not None
    assert (closed.kind, closed.truck_id) == (LiveChangeKind.SHIFT_CLOSED, curry.truck.id)
    assert closed.totals.open_shifts == 1
    await reader.close()


async def test_a_device_going_quiet_is_found_by_the_refresh_and_told_once(
    adapters: Adapters, clock: ManualClock, taco: ShiftWorld
) -> None:
    device = a_device(taco.truck.id, taco.manager.id, last_seen_at=clock.now())
    async with adapters.uow() as uow:
        await uow.devices.add(device)
        await uow.commit()
    reader = reading(adapters, taco.principal, refresh=REFRESH)
    snapshot = await reader.take()

    clock.advance(adapters.device_stale_after + timedelta(seconds=1))
    offline = await reader.change()

    assert isinstance(snapshot, LiveSnapshot)
    assert snapshot.view.trucks[0].offline_devices == ()
    assert offline.kind is LiveChangeKind.DEVICE_OFFLINE
    assert offline.device is not None
    assert offline.device.id == device.id
    assert offline.totals.devices_offline == 1
    assert await reader.nothing_more()  # the refreshes after it find nothing new
    await reader.close()


async def test_orders_leave_the_hour_with_no_event_but_the_refresh(
    adapters: Adapters, clock: ManualClock, taco: ShiftWorld
) -> None:
    await place_order(adapters, taco)
    reader = reading(adapters, taco.principal, refresh=REFRESH)
    snapshot = await reader.take()

    clock.advance(timedelta(hours=1, seconds=1))
    change = await reader.change()

    assert isinstance(snapshot, LiveSnapshot)
    assert snapshot.view.trucks[0].orders_last_hour == 1
    assert change.kind is LiveChangeKind.ORDERS_CHANGED
    assert change.truck is not None
    assert change.truck.orders_last_hour == 0
    await reader.close()


async def test_a_reader_holding_the_current_view_gets_no_snapshot_and_a_gap_rereads_it(
    adapters: Adapters, taco: ShiftWorld
) -> None:
    first = reading(adapters, taco.principal)
    snapshot = await first.take()
    assert isinstance(snapshot, LiveSnapshot)
    await first.close()
    resumed = reading(adapters, taco.principal, held=snapshot.view.version)
    assert await resumed.nothing_more()

    silent = type(adapters.uow)(store=adapters.uow.store)  # type: ignore[attr-defined]
    await place_order(adapters, taco, silent)  # committed, never published
    assert await resumed.nothing_more()
    assert isinstance(adapters.bus, InProcessEventHub)
    adapters.bus.invalidate()  # the listener reconnected: anything may have been missed
    change = await resumed.change()

    assert change.kind is LiveChangeKind.ORDERS_CHANGED
    assert change.version != snapshot.view.version
    await resumed.close()


async def test_a_manager_taken_off_a_truck_sees_it_leave_and_a_refused_reader_is_ended(
    adapters: Adapters, taco: ShiftWorld
) -> None:
    manager = taco.principal
    now: list[Principal] = [manager]

    async def recheck() -> Principal:
        return now[0]

    follow = FollowFleetLive(
        adapters.reader, adapters.bus, adapters.clock, adapters.device_stale_after, REFRESH
    )
    reader = Reader(follow.open(manager, recheck))
    await reader.take()
    assert isinstance(manager, StaffPrincipal)
    unassigned = msgspec.structs.replace(manager.staff, truck_ids=frozenset())
    now[0] = StaffPrincipal(staff=unassigned, token_id=manager.token_id)
    removed = await reader.change()

    async def refused() -> Principal:
        raise AuthenticationRequired(Message("auth.bearer_required"))

    ended = Reader(follow.open(manager, refused))
    await ended.take()
    error = await ended.take()

    assert (removed.kind, removed.truck, removed.totals.trucks) == (
        LiveChangeKind.TRUCK_REMOVED, None, 0,
    )  # fmt: skip
    assert isinstance(error, AuthenticationRequired)
    await reader.close()


async def test_crew_may_not_watch(adapters: Adapters, taco: ShiftWorld) -> None:
    crew = as_principal(await make_staff(adapters, role=Role.CREW, trucks=[taco.truck]))
    follow = FollowFleetLive(adapters.reader, adapters.bus, adapters.clock, timedelta(seconds=90))

    with pytest.raises(PermissionDenied):
        follow.open(crew, lambda: _same(crew))
