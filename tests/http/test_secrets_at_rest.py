"""No credential or password is kept where a reader of the storage could use it: a retry
of a request that issued a credential is answered without it, on every backend.

Each route that issues a credential or takes a password is sent with an
``Idempotency-Key``, then again; then everything the backend holds (the replay store,
and on SQL every table) is searched for the secrets the exchange carried.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import select

from fusionx.adapters.sql.tables import SqlBase
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.entrypoints.http.credential_routes import CREDENTIAL_ISSUED
from fusionx.entrypoints.http.idempotency import LEASE, TTL, request_fingerprint
from fusionx.entrypoints.settings import Settings
from fusionx.ports.idempotency import IdempotencyRecord
from tests.factories import PASSWORD
from tests.http.conftest import Fleet, Headers, device_body
from tests.support.databases import MigratedDatabase, migrated, migrated_postgres
from tests.support.wiring import sql_wiring

NEW_PASSWORD = "an entirely new passphrase"


@dataclass(frozen=True)
class Exchange:
    """One request to a secret-carrying route, as a client with a key sends it."""

    path: str
    body: dict[str, Any]
    status: int
    issued: str | None  # the member of the response holding the new credential


def exchanges(fleet: Fleet) -> dict[str, Exchange]:
    """Every route that issues a credential or takes a password, by operation id
    (``test_secret_routes`` holds this list to the route table)."""
    return {
        "logIn": Exchange(
            "/api/v1/auth/login",
            {"email": fleet.taco_manager.email, "password": PASSWORD},
            200,
            "token",
        ),
        "registerDevice": Exchange(
            f"/api/v1/trucks/{fleet.taco.id}/devices", device_body(), 201, "credential"
        ),
        "changeMyPassword": Exchange(
            "/api/v1/me/password",
            {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            204,
            None,
        ),
    }


OPERATIONS = ["logIn", "registerDevice", "changeMyPassword"]


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[MigratedDatabase | None]:
    if request.param == "memory":
        yield None
        return
    if request.param == "sqlite":
        opened = migrated(f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}")
    else:
        opened = migrated_postgres()
    async with opened as database:
        yield database


@pytest.fixture
async def adapters(database: MigratedDatabase | None) -> AsyncIterator[Adapters]:
    if database is None:
        yield in_memory_adapters()
        return
    async with sql_wiring(Settings(database_url=database.url)) as wired:
        yield wired


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """On the test's own loop, where the SQL adapters' connections were made."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client:
        yield client


@dataclass(frozen=True)
class Storage:
    """What a backend keeps, read as a thief with a copy of it would."""

    adapters: Adapters
    database: MigratedDatabase | None

    async def everything(self) -> str:
        """All of it as text: the replay store, and on SQL every table."""
        kept = [repr(vars(self.adapters.idempotency))]
        if self.database is None:
            return "".join(kept)  # the fake password hasher keeps a plain hash, unlike argon2
        async with self.database.engine.connect() as connection:
            for table in SqlBase.metadata.sorted_tables:
                kept += [repr(tuple(row)) for row in await connection.execute(select(table))]
        return "".join(kept)

    async def record(self, caller: str, key: str) -> IdempotencyRecord | None:
        """What the replay store holds for ``key``, through its own port."""
        now = self.adapters.clock.now()
        return await self.adapters.idempotency.begin(caller, key, "-", now, ttl=TTL, lease=LEASE)


@pytest.fixture
def storage(adapters: Adapters, database: MigratedDatabase | None) -> Storage:
    return Storage(adapters, database)


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_no_secret_of_a_retried_exchange_is_kept_anywhere(
    client: httpx.AsyncClient, storage: Storage, fleet: Fleet, manager: Headers, operation: str
) -> None:
    exchange = exchanges(fleet)[operation]
    key = str(uuid4())
    headers = {**manager, "Idempotency-Key": key, "Content-Type": "application/json"}
    body = json.dumps(exchange.body)

    first = await client.post(exchange.path, content=body, headers=headers)
    retry = await client.post(exchange.path, content=body, headers=headers)

    assert first.status_code == exchange.status, first.text
    secrets = [exchange.body[name] for name in exchange.body if "password" in name]
    if exchange.issued is not None:
        secrets.append(first.json()[exchange.issued])
        assert retry.status_code == 409
        assert retry.json()["type"] == CREDENTIAL_ISSUED
        assert retry.headers["Cache-Control"] == "no-store"
    else:
        assert retry.status_code == first.status_code
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert secrets
    assert all(secret not in retry.text for secret in secrets)

    kept = await storage.everything()
    for secret in secrets:
        assert secret not in kept, f"{operation} left a secret in storage"
    # Nor what would let a reader test a password guess offline, as a plain hash would.
    record = await storage.record(f"staff:{fleet.taco_manager.id}", key)
    assert record is not None
    plain = request_fingerprint("POST", exchange.path, "", body.encode())
    assert (record.fingerprint == plain) is ("password" not in body)
