"""A kitchen transition's writes on PostgreSQL are one round trip: the move, its history,
the event numbered from the shift's counter and its NOTIFY, in one statement after the
read of the ticket. SQLite keeps its statements; on both, the event is numbered gapless
in commit order, reacted to in the move's transaction and published once committed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.core.errors import Conflict
from fusionx.core.model.events import ShiftEvent, TicketStateChanged
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.model.webhooks import DeliveryFilter
from fusionx.core.use_cases.commands.plan_webhook_deliveries import PlanWebhookDeliveries
from fusionx.core.use_cases.commands.transition_ticket import TransitionRequest, TransitionTicket
from fusionx.ports.unit_of_work import UnitOfWork
from tests.contract.test_webhooks import an_endpoint
from tests.support.databases import MigratedDatabase
from tests.support.entities import a_staff_member, an_order
from tests.support.races import race
from tests.support.scenes import a_new_ticket, a_shift_scene, with_tickets

_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
_OWNER = StaffPrincipal(staff=a_staff_member(role=Role.OWNER), token_id=uuid4())


class _Recorded:
    """An ``EventReaction`` and an ``EventBus`` that keep what they are given."""

    def __init__(self) -> None:
        self.reacted: list[ShiftEvent] = []
        self.published: list[ShiftEvent] = []

    async def __call__(self, _uow: UnitOfWork, events: Sequence[ShiftEvent]) -> None:
        self.reacted.extend(events)

    async def publish(self, events: Sequence[ShiftEvent]) -> None:
        self.published.extend(events)

    async def revoked(self, _token_ids: Sequence[UUID]) -> None:
        return None


@contextmanager
def statements() -> Iterator[list[str]]:
    """The first word of each SQL statement any engine runs meanwhile, transaction
    control aside (asyncpg's BEGIN and COMMIT are not cursor statements)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            seen.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@pytest.fixture
async def recorded() -> _Recorded:
    return _Recorded()


@pytest.fixture
async def database(
    racing_database: MigratedDatabase, recorded: _Recorded
) -> AsyncIterator[SqlDatabase]:
    database = SqlDatabase(racing_database.url, bus=recorded, reaction=recorded)
    yield database
    await database.dispose()


def _transition(database: SqlDatabase) -> TransitionTicket:
    return TransitionTicket(database.unit_of_work(), ManualClock(), Uuid7Generator())


def _to(ticket: Ticket, target: TicketState, version: int) -> TransitionRequest:
    return TransitionRequest(ticket_id=ticket.id, target=target, expected_version=version)


async def test_a_transition_on_postgresql_is_one_statement_after_the_read(
    racing_database: MigratedDatabase, database: SqlDatabase, recorded: _Recorded
) -> None:
    ticket = await a_new_ticket(database.unit_of_work)
    with statements() as seen:
        moved = await _transition(database).execute(_OWNER, _to(ticket, TicketState.IN_PREP, 1))
    # The ticket with its truck; then, on PostgreSQL, the move, its history, the event and
    # its NOTIFY in one statement. SQLite: the move, its history, the counter, the event.
    if racing_database.url.startswith("postgresql"):
        assert seen == ["SELECT", "WITH"]
    else:
        assert seen == ["SELECT", "UPDATE", "INSERT", "UPDATE", "INSERT"]
    assert (moved.state, moved.version) == (TicketState.IN_PREP, 2)
    [logged] = recorded.reacted
    assert recorded.published == [logged]
    assert logged.seq == 1
    assert isinstance(logged.data, TicketStateChanged)
    assert (logged.data.from_, logged.data.to, logged.data.version) == (
        TicketState.NEW,
        TicketState.IN_PREP,
        2,
    )
    async with database.unit_of_work() as uow:
        assert await uow.events.since(ticket.shift_id, 0) == [logged]
        assert [t.target for t in await uow.tickets.history(ticket.id)] == [TicketState.IN_PREP]


@pytest.mark.parametrize("subscribed", [False, True])
async def test_on_postgresql_the_move_reads_the_webhook_endpoints_the_reaction_needs(
    racing_database: MigratedDatabase, recorded: _Recorded, subscribed: bool
) -> None:
    """The webhook reaction, run at the move's commit, needs no statement of its own on
    PostgreSQL: the move's statement read the endpoints subscribed to its event."""
    database = SqlDatabase(
        racing_database.url, bus=recorded, reaction=PlanWebhookDeliveries(Uuid7Generator())
    )
    try:
        ticket = await a_new_ticket(database.unit_of_work)
        # Either way an endpoint exists; only one that wants the event gets a delivery.
        types = ("ticket.state_changed",) if subscribed else ("order.created",)
        endpoint = an_endpoint(1, event_types=types)
        async with database.unit_of_work() as uow:
            await uow.webhook_endpoints.add(endpoint, "whsec_1")
            await uow.commit()
        with statements() as seen:
            await _transition(database).execute(_OWNER, _to(ticket, TicketState.IN_PREP, 1))
        queued = ["INSERT"] if subscribed else []
        if racing_database.url.startswith("postgresql"):
            assert seen == ["SELECT", "WITH", *queued]
        else:
            assert seen == ["SELECT", "UPDATE", "INSERT", "UPDATE", "INSERT", "SELECT", *queued]
        async with database.unit_of_work() as uow:
            page = await uow.webhook_deliveries.listing(
                endpoint.id, DeliveryFilter(), PageRequest()
            )
        assert [(d.shift_id, d.seq) for d in page.items] == (
            [(ticket.shift_id, 1)] if subscribed else []
        )
    finally:
        await database.dispose()


async def test_a_stale_transition_writes_nothing_and_names_the_current_version(
    database: SqlDatabase, recorded: _Recorded
) -> None:
    ticket = await a_new_ticket(database.unit_of_work)
    await _transition(database).execute(_OWNER, _to(ticket, TicketState.IN_PREP, 1))

    async def bump(_: int) -> bool:
        try:
            await _transition(database).execute(_OWNER, _to(ticket, TicketState.READY, 2))
        except Conflict:
            return False
        return True

    outcomes = await race(10, bump)

    assert outcomes.count(True) == 1
    async with database.unit_of_work() as uow:
        logged = await uow.events.since(ticket.shift_id, 0)
        history = await uow.tickets.history(ticket.id)
        last_seq = await uow.events.last_seq(ticket.shift_id)
    assert [e.seq for e in logged] == [1, 2]
    assert [t.version for t in history] == [2, 3]
    assert last_seq == 2
    assert recorded.published == logged


async def test_racing_transitions_on_one_shift_number_their_events_gapless(
    database: SqlDatabase, recorded: _Recorded
) -> None:
    scene = await a_shift_scene(database.unit_of_work, items=1)
    orders = [an_order(scene.shift.id, list(scene.items), number=n) for n in range(1, 11)]
    tickets = [ticket for _, ticket in await with_tickets(database.unit_of_work, orders)]

    async def move(racer: int) -> Ticket:
        request = _to(tickets[racer], TicketState.IN_PREP, 1)
        return await _transition(database).execute(_OWNER, request)

    await race(len(tickets), move)

    async with database.unit_of_work() as uow:
        logged = await uow.events.since(scene.shift.id, 0)
        last_seq = await uow.events.last_seq(scene.shift.id)
    assert [e.seq for e in logged] == list(range(1, 11))
    moved = {e.data.ticket_id for e in logged if isinstance(e.data, TicketStateChanged)}
    assert moved == {t.id for t in tickets}
    assert last_seq == 10
    assert sorted(recorded.published, key=lambda e: e.seq) == logged
    assert sorted(recorded.reacted, key=lambda e: e.seq) == logged
