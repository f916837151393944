"""Shifts rolled up before 0028 have hour rows only: the upgrade gives them their day
rows, the hours' sums, so days and weeks read them from the rollup at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select

from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.migrations.runner import upgrade
from fusionx.adapters.sql.tables import AnalyticsDayRow, AnalyticsHourRow
from tests.support.scenes import a_shift_scene_as_of

_BEFORE = "0027_pairing_codes"
_MONDAY = date(2026, 3, 9)


def _hour(day: date, hour: int, orders: int) -> dict[str, Any]:
    return {
        "day": day,
        "hour": hour,
        "week": _MONDAY,
        "orders": orders,
        "gross_cents": 1000 * orders,
        "cancelled_orders": hour % 2,
        "cancelled_cents": 500 * (hour % 2),
        "refunded_orders": 0,
        "refunded_cents": 0,
        "sold_outs": 1,
        "sold_out_seconds": 60 * hour,
        "throttle_refusals": hour,
    }


async def test_an_upgrade_sums_the_hours_into_days(empty_database_url: str) -> None:
    await upgrade(empty_database_url, _BEFORE)
    before = SqlDatabase(empty_database_url)
    try:
        scene = await a_shift_scene_as_of(empty_database_url, before.unit_of_work)
    finally:
        await before.dispose()
    tuesday, wednesday = date(2026, 3, 10), date(2026, 3, 11)
    own = {"shift_id": scene.shift.id, "truck_id": scene.truck.id}
    hours = [
        own | _hour(tuesday, 22, 3),
        own | _hour(tuesday, 23, 4),
        own | _hour(wednesday, 0, 5),
    ]
    engine = build_engine(empty_database_url, pooled=False)
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(AnalyticsHourRow.__table__), hours)
        await upgrade(empty_database_url)
        async with engine.connect() as connection:
            days = {
                row.day: (
                    plain_uuid(row.truck_id),
                    row.week,
                    row.orders,
                    row.gross_cents,
                    row.cancelled_orders,
                    row.sold_out_seconds,
                    row.throttle_refusals,
                )
                for row in await connection.execute(select(AnalyticsDayRow))
            }
    finally:
        await engine.dispose()

    truck = scene.truck.id
    assert days == {
        tuesday: (truck, _MONDAY, 7, 7000, 1, 60 * 45, 45),
        wednesday: (truck, _MONDAY, 5, 5000, 0, 0, 0),
    }
