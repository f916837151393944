"""PostgreSQL sums the fresh tail's orders in SQL: a fleet-wide report of open shifts
decodes none of their orders in Python, and runs as many statements for 40 orders as
for one (the figures themselves are held to the rollup's by tests/contract)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from fusionx.adapters.sql.repositories import analytics_facts
from fusionx.core.model.analytics import AnalyticsRange, Bucket
from fusionx.core.model.tickets import TicketState
from tests.support.databases import MigratedDatabase
from tests.support.entities import a_ticket, an_order
from tests.support.scenes import a_shift_scene, with_tickets

_DAY = date(2026, 3, 10)
_NOW = datetime(2026, 3, 10, 20, tzinfo=UTC)
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def _statements_for(postgres: MigratedDatabase, orders: int) -> int:
    await postgres.empty()
    units = postgres.database.unit_of_work
    scene = await a_shift_scene(units, items=2, location={"timezone": "Europe/London"})
    opened = datetime(2026, 3, 10, 9, tzinfo=UTC)
    async with units() as uow:
        await uow.shifts.update(msgspec.structs.replace(scene.shift, opened_at=opened))
        await uow.commit()
    placed = [
        an_order(scene.shift.id, list(scene.items), number=n + 1,
                 created_at=opened + timedelta(minutes=7 * n))
        for n in range(orders)
    ]  # fmt: skip
    await with_tickets(
        units,
        placed,
        lambda order: a_ticket(
            order,
            state=TicketState.COMPLETED,
            prep_at=order.created_at + timedelta(minutes=2),
            ready_at=order.created_at + timedelta(minutes=9),
        ),
    )
    with _statements() as seen:
        async with postgres.database.reader() as uow:
            for bucket in Bucket:
                span = AnalyticsRange(first=_DAY, last=_DAY, bucket=bucket)
                [*buckets] = await uow.analytics.report(None, span, _NOW)
                assert sum(b.orders for b in buckets) == orders
            [top, _] = await uow.analytics.top_items(None, _DAY, _DAY, 5, _NOW)
            assert top.quantity == 2 * orders
    return len(seen)


async def test_the_open_shifts_orders_are_summed_in_sql(
    postgres: MigratedDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def decoded(*_args: object) -> object:
        raise AssertionError("an open shift's orders were decoded in Python")

    monkeypatch.setattr(analytics_facts, "_orders", decoded)
    assert await _statements_for(postgres, 40) == await _statements_for(postgres, 1)
