"""An order's round trips on PostgreSQL, counted: a window order with stock is three
statements besides BEGIN and COMMIT, with the reactions every order's commit runs
(notifications, webhooks, low-stock alerts). What needs no lock (the shift, the menu,
the capacity limits, the kitchen's load, and what the reactions will want: the truck's
audience, the webhook endpoints and the items' low-stock thresholds) is one read before
anything is held; the stock is taken, and then the shift row held and numbered, in one
statement; the shift is numbered again for the events at commit, by the statement that
also writes the order, its lines and its ticket."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role
from fusionx.core.rules.alerts import MAX_THRESHOLD
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.entrypoints.bootstrap import reactions
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0, a_staff_member, new_id
from tests.support.scenes import a_shift_scene, restock_to

OWNER = StaffPrincipal(staff=a_staff_member(role=Role.OWNER), token_id=new_id())
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements any engine runs meanwhile, transaction control aside."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            seen.append(" ".join(statement.split()))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def _statements_of_an_order(postgres: MigratedDatabase, on_hand: int) -> list[str]:
    """The statements of a shift's second order of two lines, each item ``on_hand``."""
    ids = Uuid7Generator()
    database = SqlDatabase(postgres.url, reaction=reactions(ids, packaged_translator()))
    try:
        scene = await a_shift_scene(database.unit_of_work, items=2)
        await restock_to(database.unit_of_work, scene, on_hand, on_hand)
        place = PlaceOrder(database.unit_of_work(), ManualClock(T0), ids)
        request = PlaceOrderRequest(
            shift_id=scene.shift.id,
            lines=tuple(OrderLineRequest(item_id=item.id, quantity=2) for item in scene.items),
        )
        await place.execute(OWNER, request)  # the first of the shift: nothing warmed up here
        with statements() as seen:
            placed = await place.execute(OWNER, request)
    finally:
        await database.dispose()
    assert placed.order.number == 2
    on_shift = [s for s in seen if "FROM shifts" in s or "UPDATE shifts" in s]
    assert len(on_shift) == 3, "\n".join(on_shift)  # read; held and numbered; events numbered
    # Held with the stock, after it: the stock rows first, as the lock order wants.
    assert sum("FOR NO KEY UPDATE OF s" in s and "UPDATE shifts" in s for s in seen) == 1
    assert sum("FROM menu_items" in s for s in seen) == 1  # in the shift's read
    assert sum("FROM menu_items" in s and "FROM shifts" in s for s in seen) == 1
    assert sum("INSERT INTO tickets" in s for s in seen) == 1
    assert sum("INSERT INTO orders" in s for s in seen) == 1
    assert sum("INSERT INTO orders" in s and "INSERT INTO shift_events" in s for s in seen) == 1
    # Read ahead, with the shift: nothing read while the rows are held.
    assert sum("FROM webhook_endpoints" in s for s in seen) == 1
    assert sum("FROM staff" in s for s in seen) == 1
    assert sum("FROM webhook_endpoints" in s and "FROM shifts" in s for s in seen) == 1
    assert sum("FROM staff" in s and "FROM shifts" in s for s in seen) == 1
    return seen


@pytest.mark.parametrize(
    "on_hand",
    [10, MAX_THRESHOLD + 10],  # a sale may cross a low-stock threshold; none can
    ids=["near-a-threshold", "well-stocked"],
)
async def test_an_order_is_three_statements(postgres: MigratedDatabase, on_hand: int) -> None:
    seen = await _statements_of_an_order(postgres, on_hand=on_hand)

    assert len(seen) == 3, "\n".join(seen)
    # The thresholds, where a sale could cross one, are read ahead with the shift.
    assert sum("item_stock_thresholds" in s for s in seen) == 1
    assert sum("item_stock_thresholds" in s and "FROM shifts" in s for s in seen) == 1
