"""The fleet's event streams, and the typed events of every log, on every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, get_args

import pytest
from polyfactory.factories.msgspec_factory import MsgspecFactory

from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.events import NewEvent, ShiftEvent, ShiftEventData
from fusionx.core.model.fleet_events import (
    FleetEvent,
    FleetEventData,
    LocationCreated,
    NewFleetEvent,
    Stream,
)
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0, a_location, new_id
from tests.support.scenes import a_shift_scene

STAFF = Actor(kind=PrincipalKind.STAFF, id=new_id())


def _event(stream: Stream, n: int, actor: Actor | None = STAFF) -> NewFleetEvent:
    location = a_location(name=f"Location {n}")
    return NewFleetEvent(
        stream=stream,
        at=T0 + timedelta(minutes=n),
        actor=actor,
        data=LocationCreated(location=location),
    )


def _logged(event: NewFleetEvent, seq: int) -> FleetEvent:
    return FleetEvent(stream=event.stream, seq=seq, at=event.at, actor=event.actor, data=event.data)


def _n(event: FleetEvent) -> int:
    assert isinstance(event.data, LocationCreated)
    return int(event.data.location.name.removeprefix("Location "))


async def test_each_stream_is_numbered_one_two_three(uow_factory: UnitOfWorkFactory) -> None:
    fleet, one, other = Stream.fleet(), Stream.truck(new_id()), Stream.truck(new_id())
    events = [_event(s, n) for n, s in enumerate((fleet, one, fleet, other, one, fleet))]
    async with uow_factory() as uow:
        for event in events[:3]:
            await uow.fleet_events.append(event)
        await uow.commit()
        for event in events[3:]:
            await uow.fleet_events.append(event)
        await uow.commit()

    async with uow_factory() as uow:
        logs = {s.key: await uow.fleet_events.read(s) for s in (fleet, one, other)}
        heads = {s.key: await uow.fleet_events.last_seq(s) for s in (fleet, one, other)}
        unknown = await uow.fleet_events.last_seq(Stream.truck(new_id()))

    for stream in (fleet, one, other):
        mine = [e for e in events if e.stream == stream]
        assert logs[stream.key] == [_logged(e, seq) for seq, e in enumerate(mine, start=1)]
        assert heads[stream.key] == len(mine)
    assert unknown == 0


async def test_a_stream_reads_by_seq_and_by_time_in_pages(uow_factory: UnitOfWorkFactory) -> None:
    stream = Stream.truck(new_id())
    async with uow_factory() as uow:
        for n in range(1, 9):
            await uow.fleet_events.append(_event(stream, n, actor=None if n % 2 else STAFF))
        await uow.commit()

    async with uow_factory() as uow:
        log = uow.fleet_events
        first = await log.read(stream, limit=3)
        second = await log.read(stream, after_seq=first[-1].seq, limit=3)
        rest = await log.read(stream, after_seq=second[-1].seq, limit=3)
        done = await log.read(stream, after_seq=8)
        window = await log.read(
            stream, since=T0 + timedelta(minutes=3), until=T0 + timedelta(minutes=7), limit=2
        )
        window_rest = await log.read(
            stream,
            after_seq=window[-1].seq,
            since=T0 + timedelta(minutes=3),
            until=T0 + timedelta(minutes=7),
        )

    assert [e.seq for e in first + second + rest] == list(range(1, 9))
    assert [_n(e) for e in first + second + rest] == list(range(1, 9))
    assert [e.actor for e in first[:2]] == [None, STAFF]
    assert done == []
    assert [e.seq for e in window] == [3, 4]
    assert [e.seq for e in window_rest] == [5, 6]


async def test_a_rolled_back_change_leaves_no_event_and_no_gap(
    uow_factory: UnitOfWorkFactory,
) -> None:
    stream = Stream.fleet()
    async with uow_factory() as uow:
        await uow.fleet_events.append(_event(stream, 1))
        await uow.commit()
    async with uow_factory() as uow:
        location = a_location()
        await uow.locations.add(location)
        await uow.fleet_events.append(_event(stream, 2))
        await uow.rollback()
    async with uow_factory() as uow:
        assert await uow.locations.get(location.id) is None
        assert await uow.fleet_events.last_seq(stream) == 1
        await uow.fleet_events.append(_event(stream, 3))
        await uow.commit()

    async with uow_factory() as uow:
        logged = await uow.fleet_events.read(stream)
    assert [(e.seq, _n(e)) for e in logged] == [(1, 1), (2, 3)]


async def test_an_append_is_unseen_until_its_unit_commits(uow_factory: UnitOfWorkFactory) -> None:
    stream = Stream.fleet()
    async with uow_factory() as uow:
        await uow.fleet_events.append(_event(stream, 1))
        assert await uow.fleet_events.read(stream) == []
        assert await uow.fleet_events.last_seq(stream) == 0
        await uow.commit()
        assert await uow.fleet_events.last_seq(stream) == 1


class _Arbitrary(MsgspecFactory[Any]):
    """Valid values of any event type: every field varied, none chosen by hand."""

    __is_base_factory__ = True


def _arbitrary(kind: type[Any]) -> Any:
    factory = _Arbitrary.create_factory(kind)
    return factory.build()


@pytest.mark.parametrize("kind", get_args(FleetEventData), ids=lambda k: k.__name__)
async def test_every_fleet_event_type_reads_back_as_written(
    uow_factory: UnitOfWorkFactory, kind: type[FleetEventData]
) -> None:
    data = _arbitrary(kind)
    stream = Stream.truck(new_id())
    event = NewFleetEvent(stream=stream, at=T0, actor=STAFF, data=data)
    async with uow_factory() as uow:
        await uow.fleet_events.append(event)
        await uow.commit()

    async with uow_factory() as uow:
        [logged] = await uow.fleet_events.read(stream)
    assert logged == _logged(event, 1)
    assert type(logged.data) is kind


@pytest.mark.parametrize("kind", get_args(ShiftEventData), ids=lambda k: k.__name__)
async def test_every_shift_event_type_reads_back_as_written(
    uow_factory: UnitOfWorkFactory, kind: type[ShiftEventData]
) -> None:
    scene = await a_shift_scene(uow_factory, items=0)
    event = NewEvent(shift_id=scene.shift.id, at=T0, data=_arbitrary(kind))
    async with uow_factory() as uow:
        await uow.events.append(event)
        await uow.commit()

    async with uow_factory() as uow:
        [logged] = await uow.events.since(scene.shift.id, 0)
    assert logged == ShiftEvent(shift_id=scene.shift.id, seq=1, at=T0, data=event.data)
    assert type(logged.data) is kind


@pytest.mark.postgres
async def test_racing_units_number_a_stream_without_gaps(
    postgres_database: MigratedDatabase,
) -> None:
    await postgres_database.empty()
    uow_factory = postgres_database.database.unit_of_work
    # A stream no unit has written yet: the first numbers race to create its counter.
    streams = [Stream.truck(new_id()), Stream.fleet()]
    start = asyncio.Barrier(40)

    async def append(unit: int) -> None:
        await start.wait()
        async with uow_factory() as uow:
            # Half the units name the streams in the other order: no deadlock either way.
            mine = streams if unit % 2 else streams[::-1]
            for step, stream in enumerate((*mine, mine[0])):
                await uow.fleet_events.append(_event(stream, unit * 10 + step))
            await uow.commit()

    async with asyncio.timeout(60):
        await asyncio.gather(*(append(unit) for unit in range(40)))

    async with uow_factory() as uow:
        logs = [await uow.fleet_events.read(stream, limit=200) for stream in streams]
    # Each unit logs twice on the stream it names first, once on the other.
    assert [len(log) for log in logs] == [60, 60]
    for log in logs:
        assert [e.seq for e in log] == list(range(1, 61))
        # A unit's events on a stream are consecutive, in the order it appended them.
        by_unit: dict[int, list[int]] = {}
        for event in log:
            by_unit.setdefault(_n(event) // 10, []).append(event.seq)
        for seqs in by_unit.values():
            assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
