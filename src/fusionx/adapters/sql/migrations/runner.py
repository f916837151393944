"""Running the migrations from code, for the CLI and the tests (readiness uses ``revisions``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from fusionx.adapters.sql.engine import build_engine

SCRIPT_LOCATION = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config built in code; ``env.py`` migrates over ``connection`` if given."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """Alembic's head revision, read from the scripts (``revisions`` keeps it as a constant)."""
    head = _scripts().get_current_head()
    if head is None:
        raise RuntimeError("no migrations found in " + str(SCRIPT_LOCATION))
    return head


async def upgrade(url: str, revision: str = "head") -> None:
    await _migrate(url, lambda config: command.upgrade(config, revision))


async def downgrade(url: str, revision: str = "base") -> None:
    await _migrate(url, lambda config: command.downgrade(config, revision))


def upgrade_to_head(url: str) -> None:
    """Migrate the database at ``url`` to the head revision. Synchronous, for the CLI."""
    _run_to_completion(upgrade(url))


async def _migrate(url: str, action: Callable[[Config], None]) -> None:
    engine = build_engine(url, pooled=False)
    try:
        # One transaction for the whole run: on PostgreSQL a failed revision leaves
        # the schema as it was.
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: action(alembic_config(sync)))
    finally:
        await engine.dispose()


def _run_to_completion(work: Coroutine[Any, Any, None]) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(work)
        return
    # Called from inside an event loop, which cannot run a second one: use a thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()
