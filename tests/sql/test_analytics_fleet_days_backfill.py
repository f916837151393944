"""Shifts rolled up before 0029 have per-shift day rows only: the upgrade sums them into
the fleet's day rows, so fleet-wide days and weeks read them from the rollup at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.migrations.runner import upgrade
from fusionx.adapters.sql.tables import (
    AnalyticsDayDurationRow,
    AnalyticsFleetDayDurationRow,
    AnalyticsFleetDayItemRow,
    AnalyticsFleetDayReasonRow,
    AnalyticsItemRow,
    AnalyticsReasonRow,
)
from tests.support.entities import new_id
from tests.support.scenes import a_shift_scene_as_of

_BEFORE = "0028_analytics_days"
_MONDAY = date(2026, 3, 9)
_TUESDAY, _WEDNESDAY = date(2026, 3, 10), date(2026, 3, 11)


async def test_an_upgrade_sums_every_trucks_day_rows_into_the_fleets(
    empty_database_url: str,
) -> None:
    await upgrade(empty_database_url, _BEFORE)
    before = SqlDatabase(empty_database_url)
    try:
        scenes = [
            await a_shift_scene_as_of(empty_database_url, before.unit_of_work) for _ in range(2)
        ]
    finally:
        await before.dispose()
    item = new_id()
    durations, items, reasons = [], [], []
    for n, scene in enumerate(scenes):
        own = {"shift_id": scene.shift.id, "truck_id": scene.truck.id, "week": _MONDAY}
        durations += [
            own | {"day": _TUESDAY, "bin": 3, "prep": 1 + n, "wait": 10 * (1 + n)},
            own | {"day": _TUESDAY, "bin": 40, "prep": 0, "wait": 5},
            own | {"day": _WEDNESDAY, "bin": 3, "prep": 2, "wait": 0},
        ]
        reasons += [
            own
            | {"day": _TUESDAY, "hour": hour, "kind": "refund", "reason": "duplicate"}
            | {"orders": 1, "cents": 100 * hour}
            for hour in (12, 13)
        ]
        items.append(
            {"shift_id": scene.shift.id, "truck_id": scene.truck.id, "day": _TUESDAY}
            | {"item_id": item, "name": f"Wrap {n}", "quantity": 2 + n, "sales_cents": 900}
        )
    engine = build_engine(empty_database_url, pooled=False)
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(AnalyticsDayDurationRow.__table__), durations)
            await connection.execute(insert(AnalyticsItemRow.__table__), items)
            await connection.execute(insert(AnalyticsReasonRow.__table__), reasons)
        await upgrade(empty_database_url)
        async with engine.connect() as connection:
            fleet = {
                (row.day, row.bin): (row.week, row.prep, row.wait)
                for row in await connection.execute(select(AnalyticsFleetDayDurationRow))
            }
            why = [
                (row.day, row.week, row.kind, row.reason, row.orders, row.cents)
                for row in await connection.execute(select(AnalyticsFleetDayReasonRow))
            ]
            sold = [
                (row.day, plain_uuid(row.item_id), row.name, row.quantity, row.sales_cents)
                for row in await connection.execute(select(AnalyticsFleetDayItemRow))
            ]
    finally:
        await engine.dispose()

    assert fleet == {
        (_TUESDAY, 3): (_MONDAY, 3, 30),
        (_TUESDAY, 40): (_MONDAY, 0, 10),
        (_WEDNESDAY, 3): (_MONDAY, 4, 0),
    }
    assert why == [(_TUESDAY, _MONDAY, "refund", "duplicate", 4, 5000)]
    assert sold == [(_TUESDAY, item, "Wrap 1", 5, 1800)]
