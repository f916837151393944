"""FollowShiftEvents over the in-memory adapters: replay, live, gaps, repeats, scope."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.core.errors import InvalidInput, NotFound
from fusionx.core.model.events import EventType, ShiftEvent
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.queries.follow_shift_events import FollowShiftEvents
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from tests.events.conftest import logged, move_ticket, place_order
from tests.factories import ShiftWorld, as_principal, make_staff, make_truck, open_shift_world


@pytest.fixture
async def world(adapters: Adapters) -> ShiftWorld:
    return await open_shift_world(adapters)


@pytest.fixture
def hub(adapters: Adapters) -> InProcessEventHub:
    assert isinstance(adapters.bus, InProcessEventHub)
    return adapters.bus


@pytest.fixture
def silent(adapters: Adapters) -> InMemoryUnitOfWorkFactory:
    """Commits to the same store without telling the bus: a NOTIFY that never came."""
    assert isinstance(adapters.uow, InMemoryUnitOfWorkFactory)
    return InMemoryUnitOfWorkFactory(store=adapters.uow.store)


class Follower:
    """Consumes a stream in the background, as the WebSocket does, for tests to inspect.

    (Cancelling a pending ``anext`` would end the generator, so tests never time out on it.)
    """

    def __init__(self, stream: AsyncIterator[ShiftEvent]) -> None:
        self._received: asyncio.Queue[ShiftEvent] = asyncio.Queue()
        self._task = asyncio.create_task(self._consume(stream))

    async def _consume(self, stream: AsyncIterator[ShiftEvent]) -> None:
        async for event in stream:
            self._received.put_nowait(event)

    async def take(self, count: int) -> list[int]:
        return [(await asyncio.wait_for(self._received.get(), 2)).seq for _ in range(count)]

    async def nothing_more(self) -> bool:
        await asyncio.sleep(0.05)
        return self._received.empty() and not self._task.done()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


def follow(adapters: Adapters, world: ShiftWorld, last_seq: int = 0) -> Follower:
    stream = FollowShiftEvents(adapters.uow, adapters.bus).stream(
        world.principal, world.shift.id, last_seq
    )
    return Follower(stream)


async def test_replays_what_the_client_lacks_then_goes_live(
    adapters: Adapters, world: ShiftWorld
) -> None:
    opened = len(await logged(adapters, world.shift.id))
    stream = follow(adapters, world, last_seq=2)
    assert await stream.take(opened - 2) == list(range(3, opened + 1))

    placed = await place_order(adapters, world)
    await move_ticket(adapters, world, placed.ticket, TicketState.IN_PREP)

    log = await logged(adapters, world.shift.id)
    live = await stream.take(len(log) - opened)
    assert live == list(range(opened + 1, len(log) + 1))
    assert log[-1].type is EventType.TICKET_CHANGED
    assert await stream.nothing_more()
    await stream.close()


async def test_an_event_ahead_of_the_next_number_is_preceded_by_the_missing_ones(
    adapters: Adapters, world: ShiftWorld, hub: InProcessEventHub, silent: InMemoryUnitOfWorkFactory
) -> None:
    sent = len(await logged(adapters, world.shift.id))
    stream = follow(adapters, world, last_seq=sent)
    assert await stream.nothing_more()  # subscribed, nothing new

    await place_order(adapters, world, uow=silent)  # committed, but the bus heard nothing
    await place_order(adapters, world, uow=silent)
    log = await logged(adapters, world.shift.id)
    await hub.publish([log[-1]])  # only the latest reaches us

    assert await stream.take(len(log) - sent) == list(range(sent + 1, len(log) + 1))
    assert await stream.nothing_more()
    await stream.close()


async def test_invalidate_makes_the_stream_catch_up_from_the_log(
    adapters: Adapters, world: ShiftWorld, hub: InProcessEventHub, silent: InMemoryUnitOfWorkFactory
) -> None:
    sent = len(await logged(adapters, world.shift.id))
    stream = follow(adapters, world, last_seq=sent)
    assert await stream.nothing_more()

    await place_order(adapters, world, uow=silent)
    hub.invalidate(world.shift.id)

    total = len(await logged(adapters, world.shift.id))
    assert await stream.take(total - sent) == list(range(sent + 1, total + 1))
    assert await stream.nothing_more()
    await stream.close()


async def test_events_already_sent_are_not_sent_again(
    adapters: Adapters, world: ShiftWorld, hub: InProcessEventHub
) -> None:
    log = await logged(adapters, world.shift.id)
    stream = follow(adapters, world)
    assert await stream.take(len(log)) == list(range(1, len(log) + 1))

    await hub.publish(log)  # repeats, e.g. from this process and from NOTIFY
    await place_order(adapters, world)

    assert await stream.take(1) == [len(log) + 1]
    await stream.close()


async def test_closing_the_stream_releases_the_subscription(
    adapters: Adapters, world: ShiftWorld, hub: InProcessEventHub
) -> None:
    stream = follow(adapters, world, last_seq=1)
    await stream.take(1)
    assert hub.subscriber_count(world.shift.id) == 1
    await stream.close()
    assert hub.subscriber_count(world.shift.id) == 0


async def test_staff_of_another_truck_are_told_the_shift_does_not_exist(
    adapters: Adapters, world: ShiftWorld
) -> None:
    other_truck = await make_truck(adapters, name="Other Truck")
    outsider = await make_staff(adapters, role=Role.MANAGER, trucks=[other_truck])
    stream = FollowShiftEvents(adapters.uow, adapters.bus).stream(
        as_principal(outsider), world.shift.id
    )
    with pytest.raises(NotFound):
        await anext(stream)


async def test_a_negative_last_seq_is_refused(adapters: Adapters, world: ShiftWorld) -> None:
    stream = FollowShiftEvents(adapters.uow, adapters.bus).stream(
        world.principal, world.shift.id, last_seq=-1
    )
    with pytest.raises(InvalidInput):
        await anext(stream)


class CountingUnitsOfWork:
    """The same units of work, counted: how many a step opens."""

    def __init__(self, inner: UnitOfWorkFactory) -> None:
        self._inner = inner
        self.opened = 0

    def __call__(self) -> UnitOfWork:
        self.opened += 1
        return self._inner()


async def test_a_live_stream_is_authorized_again_without_reading_the_shift(
    adapters: Adapters, world: ShiftWorld
) -> None:
    units = CountingUnitsOfWork(adapters.uow)
    follow_events = FollowShiftEvents(units, adapters.bus)
    stream = Follower(follow_events.stream(world.principal, world.shift.id, last_seq=1))
    await stream.take(1)
    assert units.opened == 1  # the scope check and the log since last_seq, together

    await follow_events.authorize(world.principal, world.shift.id)
    other_truck = await make_truck(adapters, name="Other Truck")
    moved = await make_staff(adapters, role=Role.MANAGER, trucks=[other_truck])
    with pytest.raises(NotFound):
        await follow_events.authorize(as_principal(moved), world.shift.id)
    assert units.opened == 1  # a shift never changes truck: the fresh principal decides
    await stream.close()
