"""What the webhook reaction costs a commit of events when no endpoint exists, the
common case, counted on SQLite and PostgreSQL (issue #20): it runs on every ticket
transition and every order, so it is one plain read of ``webhook_endpoints`` on the
unit's connection, past the ORM session, and no write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fusionx.adapters.memory.ids import SequentialIdGenerator
from fusionx.core.model.events import DeviceStale, ShiftEvent
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.webhooks import DeliveryFilter
from fusionx.core.use_cases.commands.plan_webhook_deliveries import PlanWebhookDeliveries
from tests.contract.test_webhooks import an_endpoint
from tests.support.databases import SQL_BACKENDS, MigratedDatabase, named_sql_backend
from tests.support.entities import T0, new_id
from tests.support.scenes import a_shift_scene

_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@pytest.fixture(params=SQL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> MigratedDatabase:
    return named_sql_backend(request)


@pytest.fixture
async def database(backend: MigratedDatabase) -> MigratedDatabase:
    await backend.empty()
    return backend


@contextmanager
def counted() -> Iterator[tuple[list[str], list[object]]]:
    """The SQL statements any engine runs meanwhile (transaction control aside), and
    the statements that went through an ORM session's ``execute``."""
    seen: list[str] = []
    orm: list[object] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        folded = " ".join(statement.split())
        if not folded.upper().startswith(_CONTROL):
            seen.append(folded)

    def through_session(state: Any) -> None:
        orm.append(state.statement)

    event.listen(Engine, "before_cursor_execute", record)
    event.listen(Session, "do_orm_execute", through_session)
    try:
        yield seen, orm
    finally:
        event.remove(Session, "do_orm_execute", through_session)
        event.remove(Engine, "before_cursor_execute", record)


def _events(n: int, shift_id: UUID | None = None) -> tuple[ShiftEvent, ...]:
    shift_id = shift_id or new_id()
    return tuple(
        ShiftEvent(
            shift_id=shift_id,
            seq=seq,
            at=T0,
            data=DeviceStale(
                device_id=new_id(), label="Pass", last_seen_at=None, stale_after_seconds=60
            ),
        )
        for seq in range(1, n + 1)
    )


async def test_with_no_endpoint_a_commit_of_events_reads_once_and_writes_nothing(
    database: MigratedDatabase,
) -> None:
    react = PlanWebhookDeliveries(SequentialIdGenerator())
    async with database.database.unit_of_work() as uow:
        await uow.webhook_endpoints.secret(new_id())  # the unit's connection, begun
        with counted() as (seen, orm):
            await react(uow, _events(3))

    [read] = seen
    assert read.startswith("SELECT")
    assert "FROM webhook_endpoints" in read
    assert orm == []


async def test_an_endpoint_that_wants_none_of_the_types_is_not_planned_for(
    database: MigratedDatabase,
) -> None:
    # Wants order.created and ticket.state_changed, not device.stale.
    async with database.database.unit_of_work() as uow:
        await uow.webhook_endpoints.add(an_endpoint(1), "whsec_1")
        await uow.commit()
    react = PlanWebhookDeliveries(SequentialIdGenerator())
    async with database.database.unit_of_work() as uow:
        await uow.webhook_endpoints.secret(new_id())
        with counted() as (seen, orm):
            await react(uow, _events(2))

    [read] = seen
    assert "FROM webhook_endpoints" in read
    assert orm == []


async def test_deliveries_for_the_endpoints_that_want_them_are_one_more_statement(
    database: MigratedDatabase,
) -> None:
    units = database.database.unit_of_work
    scene = await a_shift_scene(units)
    wants, other = an_endpoint(1, event_types=("device.stale",)), an_endpoint(2)
    async with units() as uow:
        await uow.webhook_endpoints.add(wants, "whsec_1")
        await uow.webhook_endpoints.add(other, "whsec_2")
        await uow.commit()
    react = PlanWebhookDeliveries(SequentialIdGenerator())
    async with units() as uow:
        await uow.webhook_endpoints.secret(new_id())
        with counted() as (seen, orm):
            await react(uow, _events(3, scene.shift.id))
        await uow.commit()

    read, write = seen
    assert "FROM webhook_endpoints" in read
    assert write.startswith("INSERT INTO webhook_deliveries")
    assert orm == []
    async with units() as uow:
        page = await uow.webhook_deliveries.listing(wants.id, DeliveryFilter(), PageRequest())
        assert sorted(d.seq for d in page.items) == [1, 2, 3]
        page = await uow.webhook_deliveries.listing(other.id, DeliveryFilter(), PageRequest())
        assert page.items == []
