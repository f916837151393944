"""Authentication stays one statement with sessions' "last seen": the write comes at most
once per five minutes per session, as one guarded UPDATE, on every SQL backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import PermissionDenied
from fusionx.core.model.credentials import PrincipalKind, hash_secret
from fusionx.core.model.customers import Customer
from fusionx.core.use_cases.commands.note_session_activity import NoteSessionActivity
from fusionx.core.use_cases.queries.authenticate import Authenticate
from tests.support.databases import MigratedDatabase
from tests.support.driver_reads import every_statement
from tests.support.entities import T0, a_staff_member, a_token, new_id

_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run meanwhile (driver reads included), transaction control
    aside, each by its first word."""
    with every_statement() as seen:
        words: list[str] = []
        yield words
    words.extend(s.split(None, 1)[0].upper() for s in seen if not s.upper().startswith(_CONTROL))


async def test_a_request_reads_once_and_writes_last_seen_only_when_it_is_due(
    racing_database: MigratedDatabase,
) -> None:
    database = racing_database.database
    staff = a_staff_member(truck_ids=frozenset(), active=True)
    token = a_token(staff.id, hash_secret("fxs_secret"), last_seen_at=T0)
    async with database.unit_of_work() as uow:
        await uow.staff.add(staff)
        await uow.tokens.add(token)
        await uow.commit()
    clock = ManualClock(T0 + timedelta(minutes=4))
    authenticate = Authenticate(database.reader(), clock)
    note = NoteSessionActivity(database.unit_of_work, clock)

    async def request() -> list[str]:
        with statements() as seen:
            principal = await Authenticate(database.reader(), clock).execute("fxs_secret")
            await note.execute(principal)
        return seen

    assert await request() == ["SELECT"]  # four minutes after: nothing to write
    clock.advance(timedelta(minutes=2))
    assert await request() == ["SELECT", "UPDATE"]
    assert await request() == ["SELECT"]  # written just now
    principal = await authenticate.execute("fxs_secret")
    assert principal.token_seen_at == clock.now()  # type: ignore[union-attr]


async def test_a_customer_credential_is_one_statement_too(
    racing_database: MigratedDatabase,
) -> None:
    database = racing_database.database
    ana = Customer(id=new_id(), created_at=T0, email="ana@example.com")
    token = a_token(ana.id, hash_secret("fxc_secret"), kind=PrincipalKind.CUSTOMER)
    async with database.unit_of_work() as uow:
        await uow.customers.add(ana)
        await uow.tokens.add(token)
        await uow.commit()
    authenticate = Authenticate(database.reader(), ManualClock(T0))

    with statements() as seen:
        principal = await authenticate.customer("fxc_secret")

    assert seen == ["SELECT"]
    assert (principal.customer_id, principal.token_id) == (ana.id, token.id)
    with statements() as seen, pytest.raises(PermissionDenied):
        await authenticate.execute("fxc_secret")  # the fleet's side: refused, still one read
    assert seen == ["SELECT"]
