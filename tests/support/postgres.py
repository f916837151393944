"""Throwaway PostgreSQL databases on the server named by ``FUSIONX_TEST_DATABASE_URL``.

Without a server the PostgreSQL tests skip, unless ``FUSIONX_REQUIRE_POSTGRES=1`` (CI),
where a missing server fails the run instead of quietly testing less.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import NoReturn

import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

URL_VARIABLE = "FUSIONX_TEST_DATABASE_URL"
REQUIRE_VARIABLE = "FUSIONX_REQUIRE_POSTGRES"


def postgres_unavailable(reason: str) -> NoReturn:
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"PostgreSQL is required ({REQUIRE_VARIABLE}=1) but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def server_url() -> URL:
    raw = os.environ.get(URL_VARIABLE)
    if not raw:
        postgres_unavailable(f"{URL_VARIABLE} is not set")
    return make_url(raw)


@asynccontextmanager
async def scratch_database(prefix: str = "fusionx_test") -> AsyncIterator[str]:
    """A new, empty database on the test server, dropped on exit. Yields its URL."""
    server = server_url()
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_async_engine(
        server, isolation_level="AUTOCOMMIT", poolclass=NullPool, connect_args={"timeout": 5}
    )
    try:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        await admin.dispose()
        where = server.render_as_string(hide_password=True)
        postgres_unavailable(f"cannot create a database on {where}: {error}")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()
