"""Events logged before typed events are read as typed events once migrated, and a
downgrade gives them back their old shape."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import insert, select

from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.migrations.runner import downgrade, upgrade
from fusionx.adapters.sql.tables import ShiftEventRow
from fusionx.core.model.cancellations import Cancellation, CancelReason
from fusionx.core.model.events import (
    ItemSoldOut,
    OrderCancelled,
    OrderRefunded,
    ShiftEvent,
    ShiftOpened,
)
from fusionx.core.model.refunds import Refund, RefundLine
from fusionx.core.model.tickets import TicketState
from tests.support.entities import T0, new_id
from tests.support.scenes import a_shift_scene_as_of

BEFORE = "0010_wide_payment_amounts"


def _json(value: object) -> Any:
    return msgspec.json.decode(msgspec.json.encode(value))


async def _rows(url: str, rows: list[dict[str, Any]] | None = None) -> list[Any]:
    """Write ``rows`` into ``shift_events`` as the release before wrote them; read the
    ``data`` column back."""
    engine = build_engine(url, pooled=False)
    try:
        async with engine.begin() as connection:
            if rows:
                await connection.execute(insert(ShiftEventRow), rows)
            result = await connection.execute(select(ShiftEventRow.data).order_by("seq"))
            return [data for (data,) in result]
    finally:
        await engine.dispose()


async def test_events_logged_before_typed_events_read_as_typed_events(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    await upgrade(url, BEFORE)
    database = SqlDatabase(url)
    try:
        scene = await a_shift_scene_as_of(url, database.unit_of_work, items=1)
    finally:
        await database.dispose()
    cancellation = Cancellation(
        order_id=new_id(),
        ticket_id=new_id(),
        shift_id=scene.shift.id,
        number=1,
        reason=CancelReason.OTHER,
        from_state=TicketState.NEW,
        stock_returned=True,
        amount_cents=950,
        actor=scene.shift.opened_by,
        at=T0,
        note="end of service",
    )
    refund = Refund(
        id=new_id(),
        order_id=cancellation.order_id,
        shift_id=scene.shift.id,
        reason=cancellation.reason,
        amount_cents=950,
        lines=(RefundLine(line=0, quantity=1, amount_cents=950),),
        actor=cancellation.actor,
        at=T0,
        reference="re_1",
    )
    sold_out = ItemSoldOut(item_id=new_id())
    # As the release before logged them: the domain object flat, no tag inside.
    old = [
        ("shift.opened", _json(scene.shift)),
        ("order.cancelled", _json(cancellation)),
        ("order.refunded", _json(refund)),
        ("item.sold_out", {"item_id": str(sold_out.item_id)}),
    ]
    rows = [
        {"shift_id": scene.shift.id, "seq": seq, "type": kind, "at": T0, "data": data}
        for seq, (kind, data) in enumerate(old, start=1)
    ]
    await _rows(url, rows)

    await upgrade(url)
    database = SqlDatabase(url)
    try:
        async with database.unit_of_work() as uow:
            logged = await uow.events.since(scene.shift.id, 0)
    finally:
        await database.dispose()

    expected = [ShiftOpened(shift=scene.shift), OrderCancelled(cancellation=cancellation)]
    expected += [OrderRefunded(refund=refund), sold_out]
    assert logged == [
        ShiftEvent(shift_id=scene.shift.id, seq=seq, at=T0, data=data)
        for seq, data in enumerate(expected, start=1)
    ]

    await downgrade(url, BEFORE)
    assert await _rows(url) == [data for _, data in old]
