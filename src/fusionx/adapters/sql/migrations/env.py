"""Alembic environment: runs on the connection ``runner`` passes, or opens its own.

Batch mode on SQLite, so later revisions can ALTER tables it cannot alter in place.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.migrations.comparison import compare_type, included_on
from fusionx.adapters.sql.tables import SqlBase

config = context.config
target_metadata = SqlBase.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    url = url or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("give the database URL: alembic -x url=... (or use the runner)")
    return url


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=compare_type,
        include_object=included_on(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = build_engine(_url(), pooled=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
