"""The managers' search by any part of a name or phone number is an index read on
PostgreSQL (trigram indexes), not a scan of every order the fleet ever took."""

from __future__ import annotations

import pytest

from tests.support.databases import MigratedDatabase


@pytest.mark.parametrize(
    ("condition", "index"),
    [
        ("customer_name ILIKE '%lucía%'", "ix_orders_customer_name_trgm"),
        ("customer_phone LIKE '%5550777%'", "ix_orders_customer_phone_trgm"),
    ],
)
async def test_a_search_reads_its_trigram_index(
    postgres: MigratedDatabase, condition: str, index: str
) -> None:
    async with postgres.engine.connect() as connection:
        # On an empty table the planner would rightly scan: ask what it can do instead.
        await connection.exec_driver_sql("SET enable_seqscan = off")
        explain = f"EXPLAIN SELECT id FROM orders WHERE {condition}"  # noqa: S608 - ours
        plan = await connection.exec_driver_sql(explain)
        lines = "\n".join(row[0] for row in plan)
    assert index in lines, lines


async def test_the_history_keyset_reads_its_index(postgres: MigratedDatabase) -> None:
    async with postgres.engine.connect() as connection:
        await connection.exec_driver_sql("SET enable_seqscan = off")
        plan = await connection.exec_driver_sql(
            "EXPLAIN SELECT id FROM orders WHERE created_at <= now() "
            "ORDER BY created_at DESC, id DESC LIMIT 51"
        )
        lines = "\n".join(row[0] for row in plan)
    assert "ix_orders_created_at_id" in lines, lines
