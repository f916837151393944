from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.core.model.events import NewEvent, ShiftEvent
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, new_id
from tests.support.events import a_numbered_event, number_of
from tests.support.feeds import nothing_waiting
from tests.support.scenes import a_shift_scene


def _event(shift_id: Any, n: int) -> NewEvent:
    return a_numbered_event(shift_id, n)


def _logged(event: NewEvent, seq: int) -> ShiftEvent:
    return ShiftEvent(shift_id=event.shift_id, seq=seq, at=event.at, data=event.data)


async def test_appends_are_numbered_one_two_three_per_shift(
    uow_factory: UnitOfWorkFactory,
) -> None:
    first, second = await a_shift_scene(uow_factory), await a_shift_scene(uow_factory)
    a = [_event(first.shift.id, n) for n in range(3)]
    b = [_event(second.shift.id, n) for n in range(2)]
    async with uow_factory() as uow:
        for event in (a[0], b[0], a[1], b[1], a[2]):
            await uow.events.append(event)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.events.since(first.shift.id, 0) == [
            _logged(event, seq) for seq, event in enumerate(a, start=1)
        ]
        assert await uow.events.since(second.shift.id, 0) == [
            _logged(event, seq) for seq, event in enumerate(b, start=1)
        ]
        assert await uow.events.last_seq(first.shift.id) == 3
        assert await uow.events.last_seq(second.shift.id) == 2


async def test_since_reads_after_a_number_up_to_a_limit(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    async with uow_factory() as uow:
        for n in range(1, 8):
            await uow.events.append(_event(scene.shift.id, n))
        await uow.commit()

    async with uow_factory() as uow:
        page = await uow.events.since(scene.shift.id, 2, limit=3)
        tail = await uow.events.since(scene.shift.id, 5)
        done = await uow.events.since(scene.shift.id, 7)

    assert [e.seq for e in page] == [3, 4, 5]
    assert [e.seq for e in tail] == [6, 7]
    assert done == []


async def test_a_shift_without_events_is_at_zero(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    async with uow_factory() as uow:
        assert await uow.events.last_seq(scene.shift.id) == 0
        assert await uow.events.since(scene.shift.id, 0) == []
        assert await uow.events.last_seq(new_id()) == 0


async def test_a_rolled_back_append_leaves_no_gap(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    async with uow_factory() as uow:
        await uow.events.append(_event(scene.shift.id, 1))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.events.append(_event(scene.shift.id, 2))
        await uow.rollback()
        assert await uow.events.last_seq(scene.shift.id) == 1

    async with uow_factory() as uow:
        await uow.events.append(_event(scene.shift.id, 3))
        await uow.commit()

    async with uow_factory() as uow:
        logged = await uow.events.since(scene.shift.id, 0)
    assert [(e.seq, number_of(e)) for e in logged] == [(1, 1), (2, 3)]


async def test_an_append_is_numbered_at_commit_and_unseen_before(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    async with uow_factory() as uow:
        await uow.events.append(_event(scene.shift.id, 1))
        assert await uow.events.last_seq(scene.shift.id) == 0
        assert await uow.events.since(scene.shift.id, 0) == []
        await uow.commit()
        assert await uow.events.last_seq(scene.shift.id) == 1


async def test_committed_events_reach_the_bus_after_commit_only(
    uow_factory_with_bus: UnitOfWorkFactory, hub: InProcessEventHub
) -> None:
    scene = await a_shift_scene(uow_factory_with_bus)
    async with hub.subscribe(scene.shift.id) as feed, uow_factory_with_bus() as uow:
        events = [_event(scene.shift.id, n) for n in (1, 2, 3)]
        for event in events[:2]:
            await uow.events.append(event)
        assert await nothing_waiting(feed)
        await uow.commit()
        received = [await feed.next(), await feed.next()]
        # Later appends in the same unit go out with the next commit only.
        await uow.events.append(events[2])
        assert await nothing_waiting(feed)
        await uow.commit()
        received.append(await feed.next())

    assert received == [_logged(event, seq) for seq, event in enumerate(events, start=1)]


@pytest.mark.parametrize("how", ["rollback", "leave", "raise"])
async def test_events_of_a_rolled_back_unit_never_reach_the_bus(
    uow_factory_with_bus: UnitOfWorkFactory, hub: InProcessEventHub, how: str
) -> None:
    scene = await a_shift_scene(uow_factory_with_bus)

    async def append_and_abandon() -> None:
        async with uow_factory_with_bus() as uow:
            await uow.events.append(_event(scene.shift.id, 1))
            if how == "rollback":
                await uow.rollback()
                await uow.commit()  # commits nothing: the append was rolled back
            elif how == "raise":
                raise LookupError

    async with hub.subscribe(scene.shift.id) as feed:
        if how == "raise":
            with pytest.raises(LookupError):
                await append_and_abandon()
        else:
            await append_and_abandon()
        assert await nothing_waiting(feed)


async def test_during_reads_a_time_range_a_page_at_a_time(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    async with uow_factory() as uow:
        for n in range(1, 9):
            await uow.events.append(_event(scene.shift.id, n))  # at T0 + n seconds
        await uow.commit()

    since, until = T0 + timedelta(seconds=3), T0 + timedelta(seconds=7)
    async with uow_factory() as uow:
        first = await uow.events.during(scene.shift.id, since, until, limit=2)
        rest = await uow.events.during(scene.shift.id, since, until, after_seq=first[-1].seq)
        other = await uow.events.during(new_id(), since, until)

    assert [(e.seq, number_of(e)) for e in first] == [(3, 3), (4, 4)]
    assert [e.seq for e in rest] == [5, 6]
    assert other == []
