"""Pooled PostgreSQL connections the server has closed: pinged when idle, not when busy."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from fusionx.adapters.sql.engine import build_engine
from tests.support.postgres import scratch_database

pytestmark = pytest.mark.postgres

BACKEND = text("SELECT pg_backend_pid()")


async def _kill(url: str, pid: int) -> None:
    """Terminate a backend and wait until it is gone, as a server restart would."""
    admin = build_engine(url, pooled=False)
    try:
        async with admin.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            # A loaded machine can take seconds to reap a backend: wait up to 30 s.
            for _ in range(600):
                alive = await connection.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
                )
                if not alive:
                    return
                await asyncio.sleep(0.05)
    finally:
        await admin.dispose()
    pytest.fail(f"backend {pid} outlived pg_terminate_backend")


async def _backend(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(BACKEND))


@asynccontextmanager
async def _killed_under(ping_after_idle: float) -> AsyncIterator[tuple[AsyncEngine, int]]:
    """An engine on a scratch database whose pooled connection the server has just
    terminated, and that connection's backend pid."""
    async with scratch_database("fusionx_scratch") as url:
        engine = build_engine(url, ping_after_idle=ping_after_idle)
        try:
            killed = await _backend(engine)
            await _kill(url, killed)
            yield engine, killed
        finally:
            await engine.dispose()


async def test_an_idle_connection_the_server_closed_is_replaced_before_use() -> None:
    async with _killed_under(ping_after_idle=0) as (engine, killed):
        assert await _backend(engine) != killed


async def test_a_connection_in_steady_use_skips_the_ping_and_the_pool_recovers() -> None:
    async with _killed_under(ping_after_idle=3600) as (engine, killed):
        # Not pinged: the one statement on the dead connection fails as a disconnect…
        with pytest.raises(DBAPIError) as failed:
            await _backend(engine)
        assert failed.value.connection_invalidated
        # …and the pool has let the connection go: the next use gets a live one.
        assert await _backend(engine) != killed
