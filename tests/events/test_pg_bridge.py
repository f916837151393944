"""Live events and credential revocations across processes through PostgreSQL
LISTEN/NOTIFY.

Each "instance" is what one worker builds: ``sql_adapters`` with its own hub and
listener, started as the app starts it. They share only the database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import UUID

import msgspec
import pytest
from sqlalchemy import text

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.events.pg_listener import PgEventListener
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.core.model.events import EventType, NewEvent, ShiftEvent
from fusionx.core.use_cases.queries.follow_shift_events import FollowShiftEvents
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.settings import Settings
from fusionx.ports.event_bus import EventFeed
from fusionx.ports.unit_of_work import UnitOfWork
from tests.events.conftest import logged, place_order
from tests.factories import ShiftWorld, open_shift_world
from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.entities import a_token, new_id
from tests.support.events import a_numbered_event, stored
from tests.support.wiring import sql_wiring

pytestmark = pytest.mark.postgres

WAIT = 10  # seconds: generous, the happy path takes milliseconds


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@contextlib.asynccontextmanager
async def instance(url: str) -> AsyncIterator[tuple[Adapters, PgEventListener]]:
    """One app instance, started and stopped through its own hooks."""
    async with sql_wiring(Settings(database_url=url), started=True) as adapters:
        # The listener is the started hook's owner: sql_adapters keeps it to itself.
        owners = [getattr(hook, "__self__", None) for hook in adapters.on_startup]
        listener = next(owner for owner in owners if isinstance(owner, PgEventListener))
        await asyncio.wait_for(listener.listening.wait(), WAIT)
        yield adapters, listener


@pytest.fixture
async def url(database: MigratedDatabase) -> str:
    await database.empty()
    return database.url


@pytest.fixture
async def a(url: str) -> AsyncIterator[Adapters]:
    async with instance(url) as (adapters, _listener):
        yield adapters


@pytest.fixture
async def world(a: Adapters) -> ShiftWorld:
    return await open_shift_world(a)


class Follower:
    """A subscriber of one instance, consuming in the background as a WebSocket does."""

    def __init__(self, uow: Adapters | SqlDatabase, hub: InProcessEventHub) -> None:
        self._uow = uow.uow if isinstance(uow, Adapters) else uow.unit_of_work
        self._hub = hub
        self.seqs: list[int] = []
        self._grew = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    def start(self, world: ShiftWorld, last_seq: int) -> None:
        stream = FollowShiftEvents(self._uow, self._hub).stream(
            world.principal, world.shift.id, last_seq
        )
        self._task = asyncio.create_task(self._consume(stream))

    async def _consume(self, stream: AsyncIterator[ShiftEvent]) -> None:
        async for event in stream:
            async with self._grew:
                self.seqs.append(event.seq)
                self._grew.notify_all()

    async def until(self, last: int) -> list[int]:
        async with asyncio.timeout(WAIT), self._grew:
            await self._grew.wait_for(lambda: bool(self.seqs) and self.seqs[-1] >= last)
        await asyncio.sleep(0.2)  # anything extra (a repeat) would show up now
        return self.seqs

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def next_live(feed: EventFeed) -> ShiftEvent | None:
    return await asyncio.wait_for(feed.next(), WAIT)


def hub_of(adapters: Adapters) -> InProcessEventHub:
    assert isinstance(adapters.bus, InProcessEventHub)
    return adapters.bus


async def test_an_event_committed_on_one_instance_reaches_a_subscriber_of_another(
    url: str, a: Adapters, world: ShiftWorld
) -> None:
    async with instance(url) as (b, _listener):
        async with hub_of(b).subscribe(world.shift.id) as feed:
            placed = await place_order(a, world)
            first = await next_live(feed)
        assert first is not None  # whole, from NOTIFY: not a "catch up" marker
        assert first.type is EventType.ORDER_CREATED
        assert stored(first)["order"]["id"] == str(placed.order.id)
        assert first == (await logged(a, world.shift.id))[first.seq - 1]


async def test_an_event_too_big_for_notify_arrives_through_the_log(
    url: str, a: Adapters, world: ShiftWorld
) -> None:
    async with instance(url) as (b, _listener):
        follower = Follower(b, hub_of(b))
        sent = len(await logged(a, world.shift.id))
        follower.start(world, sent)
        async with hub_of(b).subscribe(world.shift.id) as feed:
            await append(a, world.shift.id, "x" * 10_000)
            assert await next_live(feed) is None  # a pointer: "read the log"
        assert await follower.until(sent + 1) == [sent + 1]
        await follower.close()


async def test_the_listener_survives_its_connection_being_killed_and_misses_nothing(
    url: str, database: MigratedDatabase, a: Adapters, world: ShiftWorld
) -> None:
    # Instance B, built by hand to slow its reconnect down: events land while it is away.
    hub = InProcessEventHub()
    b = SqlDatabase(url, bus=hub)
    listener = PgEventListener(url, hub, backoff_initial=1.5)
    await listener.start()
    follower = Follower(b, hub)
    try:
        await asyncio.wait_for(listener.listening.wait(), WAIT)
        follower.start(world, 0)
        await place_order(a, world)
        before = len(await logged(a, world.shift.id))
        await follower.until(before)

        killed = listener.backend_pid
        async with database.engine.connect() as admin:
            listening = await admin.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE query ILIKE 'LISTEN%' AND datname = current_database()"
                )
            )
            assert killed in set(listening)  # A's listener is there too
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": killed})
        async with asyncio.timeout(WAIT):
            while listener.listening.is_set():  # noqa: ASYNC110 - it has no "lost" event
                await asyncio.sleep(0.01)

        await place_order(a, world)  # nobody hears these NOTIFYs
        await place_order(a, world)
        assert not listener.listening.is_set(), "reconnected too soon to prove anything"

        await asyncio.wait_for(listener.listening.wait(), WAIT)
        assert listener.backend_pid not in (None, killed)
        await place_order(a, world)  # and live again
        total = len(await logged(a, world.shift.id))
        assert await follower.until(total) == list(range(1, total + 1))
    finally:
        await follower.close()
        await listener.stop()
        await b.dispose()


async def test_nothing_is_notified_before_commit_nor_after_rollback(
    url: str, a: Adapters, world: ShiftWorld
) -> None:
    async with instance(url) as (b, _listener), hub_of(b).subscribe(world.shift.id) as feed:
        async with a.uow() as uow:
            await uow.events.append(new_event(world.shift.id, "rolled back"))
            # leaving without commit rolls back
        async with a.uow() as uow:
            await uow.events.append(new_event(world.shift.id, "committed"))
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(feed.next(), 0.5)
            await uow.commit()
            appended = await last_event(uow, world.shift.id)
        assert await next_live(feed) == appended


async def test_a_revocation_committed_on_one_instance_wakes_its_watchers_on_another(
    url: str, a: Adapters, world: ShiftWorld
) -> None:
    # More sessions than one NOTIFY payload holds: they travel in several.
    sessions = [a_token(world.manager.id, f"{n:064x}") for n in range(250)]
    bystander = a_token(new_id(), "f" * 64)
    async with a.uow() as uow:
        for token in (*sessions, bystander):
            await uow.tokens.add(token)
        await uow.commit()
    first, last = sessions[0].id, sessions[-1].id

    async with (
        instance(url) as (b, _listener),
        hub_of(b).watch_credential(first) as first_watch,
        hub_of(b).watch_credential(last) as last_watch,
        hub_of(b).watch_credential(bystander.id) as bystander_watch,
    ):
        async with a.uow() as uow:
            await uow.tokens.revoke_all_for(world.manager.id, datetime.now(UTC))
            with pytest.raises(TimeoutError):  # not before commit
                await asyncio.wait_for(first_watch.next(), 0.5)
            await uow.commit()
        await asyncio.wait_for(first_watch.next(), WAIT)
        await asyncio.wait_for(last_watch.next(), WAIT)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(bystander_watch.next(), 0.5)


async def test_a_listener_back_from_an_outage_has_every_watcher_check_again(
    url: str, database: MigratedDatabase
) -> None:
    """A revocation notified while the listener was away is not lost: its streams check
    their credentials again once it is back."""
    hub = InProcessEventHub()
    listener = PgEventListener(url, hub, backoff_initial=0.2)
    await listener.start()
    try:
        await asyncio.wait_for(listener.listening.wait(), WAIT)
        async with hub.watch_credential(new_id()) as watch:
            async with database.engine.connect() as admin:
                await admin.execute(
                    text("SELECT pg_terminate_backend(:pid)"), {"pid": listener.backend_pid}
                )
            await asyncio.wait_for(watch.next(), WAIT)
    finally:
        await listener.stop()


def new_event(shift_id: UUID, label: str) -> NewEvent:
    return msgspec.structs.replace(a_numbered_event(shift_id, 1, label=label), at=datetime.now(UTC))


async def append(adapters: Adapters, shift_id: UUID, label: str) -> ShiftEvent:
    async with adapters.uow() as uow:
        await uow.events.append(new_event(shift_id, label))
        await uow.commit()
        return await last_event(uow, shift_id)


async def last_event(uow: UnitOfWork, shift_id: UUID) -> ShiftEvent:
    """The shift's latest event, as committed."""
    [event] = await uow.events.since(shift_id, await uow.events.last_seq(shift_id) - 1)
    return event
