"""The audit trail on every backend: its hash chain holds, tells a gap, an edit or a
reordering, and (in SQL) the database refuses to change or remove a record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import msgspec
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.adapters.sql import append_only
from fusionx.core.model.actors import Actor
from fusionx.core.model.audit import GENESIS, AuditQuery, Origin
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.fleet_events import (
    FleetEvent,
    LocationCreated,
    NewFleetEvent,
    Stream,
    TruckCreated,
)
from fusionx.core.model.paging import PageRequest
from fusionx.core.use_cases.queries.verify_audit_trail import VerifyAuditTrail
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0, a_location, a_truck, new_id

ANA = Actor(kind=PrincipalKind.STAFF, id=new_id())
BO = Actor(kind=PrincipalKind.STAFF, id=new_id())
TRUCK = new_id()
ORIGIN = Origin(address="203.0.113.7", request_id="req-1")


def _location(n: int, actor: Actor | None = ANA) -> NewFleetEvent:
    return NewFleetEvent(
        stream=Stream.fleet(),
        at=T0 + timedelta(minutes=n),
        actor=actor,
        data=LocationCreated(location=a_location(name=f"Location {n}", latitude=48.0 + n / 10)),
        origin=ORIGIN,
    )


def _truck(n: int, actor: Actor | None = BO) -> NewFleetEvent:
    return NewFleetEvent(
        stream=Stream.truck(TRUCK),
        at=T0 + timedelta(minutes=n),
        actor=actor,
        data=TruckCreated(truck=a_truck(id=TRUCK, name=f"Truck {n}")),
    )


async def _log(uow_factory: UnitOfWorkFactory, *units: list[NewFleetEvent]) -> None:
    for events in units:
        async with uow_factory() as uow:
            for event in events:
                await uow.fleet_events.append(event)
            await uow.commit()


async def _a_trail(uow_factory: UnitOfWorkFactory) -> None:
    """Five records on the fleet's stream and three on a truck's, over three units."""
    await _log(
        uow_factory,
        [_location(1), _truck(2)],
        [_location(3, actor=None), _location(4), _truck(5)],
        [_location(6), _truck(7), _location(8, actor=BO)],
    )


async def _verify(uow_factory: UnitOfWorkFactory) -> tuple[int, int, str | None]:
    outcome = await VerifyAuditTrail(uow_factory()).execute()
    broken = outcome.broken
    where = None if broken is None else f"{broken.stream}#{broken.seq}: {broken.reason}"
    return outcome.streams, outcome.records, where


async def test_a_clean_trail_verifies(uow_factory: UnitOfWorkFactory) -> None:
    await _a_trail(uow_factory)

    assert await _verify(uow_factory) == (2, 8, None)


async def test_each_record_chains_to_the_one_before(uow_factory: UnitOfWorkFactory) -> None:
    await _a_trail(uow_factory)

    async with uow_factory() as uow:
        links = await uow.fleet_events.links(Stream.fleet())
        page = await uow.fleet_events.links(Stream.fleet(), after_seq=2, limit=2)
    assert [link.seq for link in links] == [1, 2, 3, 4, 5]
    assert [link.prev_hash for link in links] == [GENESIS, *(link.hash for link in links[:-1])]
    assert all(link.recomputed == link.hash for link in links)
    assert len({link.hash for link in links}) == 5
    assert page == links[2:4]


async def test_records_keep_their_origin(uow_factory: UnitOfWorkFactory) -> None:
    await _a_trail(uow_factory)

    async with uow_factory() as uow:
        fleet = await uow.fleet_events.read(Stream.fleet())
        truck = await uow.fleet_events.read(Stream.truck(TRUCK))
    assert {event.origin for event in fleet} == {ORIGIN}
    assert {event.origin for event in truck} == {Origin()}


def _names(events: list[FleetEvent]) -> list[str]:
    return [
        e.data.location.name if isinstance(e.data, LocationCreated) else e.data.truck.name  # type: ignore[union-attr]
        for e in events
    ]


async def test_the_trail_is_searched_newest_first_by_every_filter(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await _a_trail(uow_factory)
    everything = PageRequest(limit=50)

    async def search(
        streams: list[Stream] | None = None, page: PageRequest = everything, **filters: object
    ) -> tuple[list[str], int]:
        async with uow_factory() as uow:
            query = msgspec.convert(filters, AuditQuery)
            found = await uow.fleet_events.search(query, streams, page)
        return _names(found.items), found.total

    assert await search() == (
        ["Location 8", "Truck 7", "Location 6", "Truck 5", "Location 4", "Location 3",
         "Truck 2", "Location 1"],
        8,
    )  # fmt: skip
    assert await search(page=PageRequest(limit=3, offset=2)) == (
        ["Location 6", "Truck 5", "Location 4"],
        8,
    )
    assert await search(actor_id=str(BO.id)) == (["Location 8", "Truck 7", "Truck 5", "Truck 2"], 4)
    assert await search([Stream.truck(TRUCK)]) == (["Truck 7", "Truck 5", "Truck 2"], 3)
    assert await search([Stream.truck(new_id())]) == ([], 0)
    assert await search([]) == ([], 0)
    assert await search(action="truck.created") == (["Truck 7", "Truck 5", "Truck 2"], 3)
    assert await search(subject_type="truck", subject_id=str(TRUCK)) == (
        ["Truck 7", "Truck 5", "Truck 2"],
        3,
    )
    assert await search(subject_type="location") == (
        ["Location 8", "Location 6", "Location 4", "Location 3", "Location 1"],
        5,
    )
    since, until = T0 + timedelta(minutes=3), T0 + timedelta(minutes=6)
    assert await search(since=since.isoformat(), until=until.isoformat()) == (
        ["Truck 5", "Location 4", "Location 3"],
        3,
    )


# Tampering, as someone with the database's own rights would do it.

Tamper = Callable[[UnitOfWorkFactory, MigratedDatabase | None], Awaitable[None]]


async def _in_sql(backend: MigratedDatabase, *statements: str) -> None:
    """Run ``statements`` with the trail's triggers lifted (as a superuser would)."""
    async with backend.engine.begin() as connection:
        dialect = connection.dialect.name
        if dialect == "postgresql":
            lift = ["ALTER TABLE fleet_events DISABLE TRIGGER fleet_events_append_only"]
            restore = ["ALTER TABLE fleet_events ENABLE TRIGGER fleet_events_append_only"]
        else:
            lift = list(append_only.drop_statements(dialect))
            restore = list(append_only.create_statements(dialect))
        for statement in [*lift, *statements, *restore]:
            await connection.execute(text(statement))


def _memory(uow_factory: UnitOfWorkFactory) -> dict[str, tuple[FleetEvent, ...]]:
    assert isinstance(uow_factory, InMemoryUnitOfWorkFactory)
    return uow_factory.store.tables.fleet_events


def _memory_chain(uow_factory: UnitOfWorkFactory) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each record's stored hashes: a record removed or moved takes them along."""
    assert isinstance(uow_factory, InMemoryUnitOfWorkFactory)
    return uow_factory.store.tables.fleet_chain


_FORGE_POSTGRES = (
    "UPDATE fleet_events SET data = jsonb_set(data, '{location,name}', '\"Forged\"') "
    "WHERE stream = 'fleet' AND seq = 3"
)
_FORGE_SQLITE = (
    "UPDATE fleet_events SET data = json_set(data, '$.location.name', 'Forged') "
    "WHERE stream = 'fleet' AND seq = 3"
)
_SWAP = (
    "UPDATE fleet_events SET seq = -1 WHERE stream = 'fleet' AND seq = 3",
    "UPDATE fleet_events SET seq = 3 WHERE stream = 'fleet' AND seq = 4",
    "UPDATE fleet_events SET seq = 4 WHERE stream = 'fleet' AND seq = -1",
)


async def _edit_data(uow_factory: UnitOfWorkFactory, backend: MigratedDatabase | None) -> None:
    if backend is None:
        log = _memory(uow_factory)["fleet"]
        forged = a_location(name="Forged")
        edited = msgspec.structs.replace(log[2], data=LocationCreated(location=forged))
        _memory(uow_factory)["fleet"] = (*log[:2], edited, *log[3:])
        return
    edit = _FORGE_POSTGRES if backend.url.startswith("postgresql") else _FORGE_SQLITE
    await _in_sql(backend, edit)


async def _edit_origin(uow_factory: UnitOfWorkFactory, backend: MigratedDatabase | None) -> None:
    if backend is None:
        log = _memory(uow_factory)["fleet"]
        edited = msgspec.structs.replace(log[2], origin=Origin(address="10.6.6.6"))
        _memory(uow_factory)["fleet"] = (*log[:2], edited, *log[3:])
        return
    await _in_sql(
        backend, "UPDATE fleet_events SET address = '10.6.6.6' WHERE stream = 'fleet' AND seq = 3"
    )


async def _remove(uow_factory: UnitOfWorkFactory, backend: MigratedDatabase | None) -> None:
    if backend is None:
        log, chain = _memory(uow_factory)["fleet"], _memory_chain(uow_factory)["fleet"]
        _memory(uow_factory)["fleet"] = (*log[:2], *log[3:])
        _memory_chain(uow_factory)["fleet"] = (*chain[:2], *chain[3:])
        return
    await _in_sql(backend, "DELETE FROM fleet_events WHERE stream = 'fleet' AND seq = 3")


async def _swap(uow_factory: UnitOfWorkFactory, backend: MigratedDatabase | None) -> None:
    if backend is None:
        log = _memory(uow_factory)["fleet"]
        third, fourth = (msgspec.structs.replace(e, seq=s) for e, s in ((log[3], 3), (log[2], 4)))
        _memory(uow_factory)["fleet"] = (*log[:2], third, fourth, *log[4:])
        chain = _memory_chain(uow_factory)["fleet"]
        _memory_chain(uow_factory)["fleet"] = (*chain[:2], chain[3], chain[2], *chain[4:])
        return
    await _in_sql(backend, *_SWAP)


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_edit_data, "audit.chain.edited"),
        (_edit_origin, "audit.chain.edited"),
        (_remove, "audit.chain.missing"),
        (_swap, "audit.chain.unlinked"),
    ],
    ids=["edited data", "edited address", "removed", "reordered"],
)
async def test_verify_reports_the_first_break(
    uow_factory: UnitOfWorkFactory,
    backend: MigratedDatabase | None,
    tamper: Tamper,
    reason: str,
) -> None:
    await _a_trail(uow_factory)
    await tamper(uow_factory, backend)

    assert (await _verify(uow_factory))[2] == f"fleet#3: {reason}"


async def test_removing_the_newest_record_is_a_gap_too(
    uow_factory: UnitOfWorkFactory, backend: MigratedDatabase | None
) -> None:
    await _a_trail(uow_factory)
    if backend is None:
        pytest.skip("in memory the stream's counter is its length: nothing to compare")
    await _in_sql(backend, "DELETE FROM fleet_events WHERE stream = 'fleet' AND seq = 5")

    assert (await _verify(uow_factory))[2] == "fleet#5: audit.chain.missing"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE fleet_events SET address = '10.6.6.6'",
        "UPDATE fleet_events SET seq = seq + 100 WHERE stream = 'fleet'",
        "DELETE FROM fleet_events WHERE stream = 'fleet' AND seq = 1",
        "DELETE FROM fleet_events",
    ],
)
async def test_the_database_refuses_to_change_or_remove_a_record(
    uow_factory: UnitOfWorkFactory, backend: MigratedDatabase | None, statement: str
) -> None:
    if backend is None:
        pytest.skip("a SQL trigger: the in-memory log has no way to change a record at all")
    await _a_trail(uow_factory)

    with pytest.raises(DBAPIError, match="append-only"):
        async with backend.engine.begin() as connection:
            await connection.execute(text(statement))
    assert await _verify(uow_factory) == (2, 8, None)
