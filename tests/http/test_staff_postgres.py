"""Two owners demoting each other at the same moment, through the API on PostgreSQL:
one of them stays owner, every time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from fusionx.core.model.paging import PageRequest
from fusionx.core.model.staff import Role, StaffFilter
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from tests.factories import PASSWORD, make_staff
from tests.support.databases import MigratedDatabase
from tests.support.hostile import sql_backend

pytestmark = pytest.mark.postgres
ROUNDS = 8


@pytest.fixture
async def wired(postgres_database: MigratedDatabase) -> AsyncIterator[Adapters]:
    await postgres_database.empty()
    async with sql_backend(postgres_database.url) as adapters:
        yield adapters


async def _active_owners(adapters: Adapters) -> int:
    async with adapters.reader() as uow:
        page = await uow.staff.search(StaffFilter(role=Role.OWNER, active=True), PageRequest())
    return page.total


async def test_two_owners_demoting_or_deactivating_each_other_leave_one_owner(
    wired: Adapters,
) -> None:
    first, second = [await make_staff(wired, role=Role.OWNER) for _ in range(2)]
    app = create_app(Settings(), wired)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client:

        async def headers(email: str) -> dict[str, str]:
            signed = await client.post(
                "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
            )
            return {"Authorization": f"Bearer {signed.json()['token']}"}

        for round_ in range(ROUNDS):
            a, b = await headers(first.email), await headers(second.email)
            # Half the rounds demote, half deactivate: both take an owner away.
            if round_ % 2:
                answers = await asyncio.gather(
                    client.post(f"/api/v1/staff/{second.id}/deactivate", headers=a),
                    client.post(f"/api/v1/staff/{first.id}/deactivate", headers=b),
                )
            else:
                answers = await asyncio.gather(
                    client.put(
                        f"/api/v1/staff/{second.id}/role", json={"role": "admin"}, headers=a
                    ),
                    client.put(f"/api/v1/staff/{first.id}/role", json={"role": "admin"}, headers=b),
                )

            statuses = sorted(answer.status_code for answer in answers)
            assert statuses == [200, 409], [answer.text for answer in answers]
            assert await _active_owners(wired) == 1
            # The loser stays owner; the winner's target comes back for the next round.
            owner_headers = a if answers[0].status_code == 200 else b
            target = second if answers[0].status_code == 200 else first
            restored = await client.post(
                f"/api/v1/staff/{target.id}/reactivate", headers=owner_headers
            )
            assert restored.status_code == 200, restored.text
            promoted = await client.put(
                f"/api/v1/staff/{target.id}/role", json={"role": "owner"}, headers=owner_headers
            )
            assert promoted.status_code == 200, promoted.text
            assert await _active_owners(wired) == 2
