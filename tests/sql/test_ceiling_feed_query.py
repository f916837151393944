"""The benchmark's ceiling must run the kitchen feed's own statement, or its ratio lies."""

from __future__ import annotations

from bench.ceiling import FEED_SQL

from fusionx.adapters.sql.repositories.tickets import _PG_FEED


def test_the_ceiling_runs_the_feed_statement_fusionx_runs_on_postgresql() -> None:
    assert _PG_FEED.split() == FEED_SQL.split()
