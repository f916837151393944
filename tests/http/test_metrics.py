"""``GET /metrics``: who may scrape, and the figures requests leave behind (in process:
the default registry; across workers: ``tests/e2e/test_served_metrics.py``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.core.model.shifts import Shift
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.observability_settings import ObservabilitySettings
from fusionx.entrypoints.settings import Settings
from tests.http.conftest import Fleet, Headers, bearer, order_body
from tests.observability.scrapes import Scrape

METRICS_TOKEN = "metrics-token-0123456789"
REQUESTS = "fusionx_http_requests_total"


@pytest.fixture
def app(settings: Settings, adapters: Adapters) -> Litestar:
    return create_app(settings, adapters, ObservabilitySettings(metrics_token=METRICS_TOKEN))


@pytest.fixture
async def scrape(client: AsyncTestClient[Litestar]) -> Callable[[], Awaitable[Scrape]]:
    async def scrape() -> Scrape:
        response = await client.get("/metrics", headers=bearer(METRICS_TOKEN))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/plain")
        return Scrape(response.text)

    return scrape


async def test_metrics_need_the_metrics_token_or_an_owner(
    client: AsyncTestClient[Litestar],
    sign_in: Callable[..., Awaitable[Headers]],
    fleet: Fleet,
    manager: Headers,
) -> None:
    assert (await client.get("/metrics")).status_code == 401
    assert (await client.get("/metrics", headers=bearer("not-the-token-at-all"))).status_code == 401
    refused = await client.get("/metrics", headers=manager)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    owner = await client.get("/metrics", headers=await sign_in(fleet.owner))
    assert owner.status_code == 200
    assert "fusionx_ready 1.0" in owner.text


async def test_metrics_are_off_when_configured_so(adapters: Adapters) -> None:
    app = create_app(Settings(), adapters, ObservabilitySettings(metrics=False))
    async with AsyncTestClient(app) as client:
        assert (await client.get("/metrics", headers=bearer(METRICS_TOKEN))).status_code == 404


async def test_metrics_are_not_part_of_the_api_contract(client: AsyncTestClient[Litestar]) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    assert "/metrics" not in document["paths"]


async def test_requests_are_counted_by_route_template_and_status(
    client: AsyncTestClient[Litestar],
    scrape: Callable[[], Awaitable[Scrape]],
    manager: Headers,
    taco_shift: Shift,
) -> None:
    template = "/api/v1/shifts/{shift_id}/tickets"
    before = await scrape()
    for shift_id in (taco_shift.id, taco_shift.id, taco_shift.id, uuid4()):
        await client.get(f"/api/v1/shifts/{shift_id}/tickets", headers=manager)
    after = await scrape()

    def grew(status: str) -> float:
        labels = {"path": template, "method": "GET", "status_code": status}
        return after.value(REQUESTS, **labels) - before.value(REQUESTS, **labels)

    assert grew("200") == 3
    assert grew("404") == 1
    # Per template, never per id: no series names a shift.
    assert str(taco_shift.id) not in after.text
    duration = "fusionx_http_request_duration_seconds_count"
    assert after.value(duration, path=template) - before.value(duration, path=template) == 4
    assert after.has("fusionx_http_requests_in_progress")


async def test_sign_in_failures_and_throttles_are_counted(
    client: AsyncTestClient[Litestar], scrape: Callable[[], Awaitable[Scrape]], fleet: Fleet
) -> None:
    before = await scrape()
    body = {"email": fleet.taco_crew.email, "password": "wrong-password-123"}
    statuses = [(await client.post("/api/v1/auth/login", json=body)).status_code for _ in range(12)]
    after = await scrape()
    failures = after.value("fusionx_sign_in_failures_total") - before.value(
        "fusionx_sign_in_failures_total"
    )
    throttled = after.value("fusionx_sign_in_throttled_total") - before.value(
        "fusionx_sign_in_throttled_total"
    )
    assert failures == statuses.count(401)
    assert throttled == statuses.count(429)
    assert throttled >= 1


async def test_idempotent_replays_and_conflicts_are_counted(  # noqa: PLR0917 - fixtures
    client: AsyncTestClient[Litestar],
    scrape: Callable[[], Awaitable[Scrape]],
    manager: Headers,
    fleet: Fleet,
    taco_shift: Shift,
    restock: Callable[..., Awaitable[None]],
) -> None:
    await restock(taco_shift, fleet.burrito, 10, manager)
    url = f"/api/v1/shifts/{taco_shift.id}/orders"
    headers = {**manager, "Idempotency-Key": str(uuid4())}
    body = order_body((fleet.burrito, 1))
    before = await scrape()
    first = await client.post(url, json=body, headers=headers)
    again = await client.post(url, json=body, headers=headers)
    reused = await client.post(url, json=order_body((fleet.burrito, 2)), headers=headers)
    after = await scrape()
    assert (first.status_code, again.headers.get("idempotent-replayed"), reused.status_code) == (
        201,
        "true",
        422,
    )

    def grew(outcome: str) -> float:
        name = "fusionx_idempotency_outcomes_total"
        return after.value(name, outcome=outcome) - before.value(name, outcome=outcome)

    assert (grew("replayed"), grew("key_reused")) == (1, 1)
