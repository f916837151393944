"""The public rate limit at the HTTP edge: which routes it holds, and how it refuses."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar, get
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from fusionx.entrypoints.bootstrap import in_memory_adapters
from fusionx.entrypoints.http.access_table import ACCESS, Answer
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.rate_limits import (
    NOT_RATE_LIMITED,
    OPT_KEY,
    PUBLIC,
    SIGNED_IN_RATE_LIMITED,
    unknown_policies,
)
from fusionx.entrypoints.settings import Settings

LIMITED = "/schema/openapi.json"


def _routes(app: Litestar) -> dict[str, str | None]:
    """Each ``METHOD path`` of the app, with the rate limit its handler names (or None)."""
    return {
        f"{method} {route.path}": handler.opt.get(OPT_KEY)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in handler.http_methods
        if method != "OPTIONS"
    }


def test_every_route_anyone_may_call_is_rate_limited_or_says_why_not() -> None:
    routes = _routes(create_app(Settings(), in_memory_adapters()))
    public = [key for key in routes if key in ACCESS and ACCESS[key].anonymous == Answer.ALLOWED]
    unlimited = [key for key in public if routes[key] is None and key not in NOT_RATE_LIMITED]
    doubled = [key for key in NOT_RATE_LIMITED if routes.get(key) is not None]
    gone = [key for key in NOT_RATE_LIMITED if key not in routes]
    assert public, "the access table opens no route to anonymous callers?"
    assert not unlimited, (
        "public routes neither rate-limited (opt=PUBLIC_RATE_LIMIT) nor listed in "
        f"NOT_RATE_LIMITED with a reason: {unlimited}"
    )
    assert not doubled, f"listed as not rate-limited, yet limited: {doubled}"
    assert not gone, f"NOT_RATE_LIMITED names routes the app does not have: {gone}"


def test_only_public_routes_are_rate_limited() -> None:
    """A signed-in caller's routes are not counted against the address it shares, but for
    the few ``SIGNED_IN_RATE_LIMITED`` says why."""
    routes = _routes(create_app(Settings(), in_memory_adapters()))
    # The pages (under /app) have their own access table: the customer's are public.
    limited = [
        key
        for key, policy in routes.items()
        if policy is not None and not key.split(" ", 1)[1].startswith("/app")
    ]
    assert limited
    signed_in = [key for key in limited if ACCESS[key].anonymous != Answer.ALLOWED]
    assert set(signed_in) == set(SIGNED_IN_RATE_LIMITED), signed_in


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(
        Settings(),
        in_memory_adapters(public_rate_limit="3/minute"),
    )
    async with AsyncTestClient(app) as client:
        yield client


async def test_over_the_limit_a_client_gets_a_429_problem_with_retry_after(
    client: AsyncTestClient[Litestar],
) -> None:
    passed = [await client.get(LIMITED) for _ in range(3)]
    refused = await client.get(LIMITED)

    assert [r.status_code for r in passed] == [200, 200, 200]
    assert [r.headers["RateLimit-Remaining"] for r in passed] == ["2", "1", "0"]
    assert all(r.headers["RateLimit-Limit"] == "3" for r in passed)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60
    body = refused.json()
    assert body["type"] == "/problems/rate-limited"
    assert body["status"] == 429
    assert body["retry_after"] == seconds
    assert body["instance"] == LIMITED
    assert str(seconds) in body["detail"]


async def test_routes_not_marked_are_never_limited(client: AsyncTestClient[Litestar]) -> None:
    for _ in range(4):
        await client.get(LIMITED)
    answers = [await client.get("/health/live") for _ in range(5)]
    assert {r.status_code for r in answers} == {200}
    assert all("RateLimit-Limit" not in r.headers for r in answers)


async def test_each_client_behind_a_trusted_proxy_has_its_own_count() -> None:
    """The count is the client's as ``client_address`` sees it, not the proxy's."""
    app = create_app(
        Settings(trusted_proxies="10.0.0.0/8"), in_memory_adapters(public_rate_limit="1/minute")
    )
    proxy = httpx.ASGITransport(app=app, client=("10.0.0.2", 40000))
    async with httpx.AsyncClient(transport=proxy, base_url="http://fusionx.test") as client:

        async def get_as(address: str) -> int:
            response = await client.get(LIMITED, headers={"X-Forwarded-For": address})
            return response.status_code

        assert [await get_as("198.51.100.1") for _ in range(2)] == [200, 429]
        assert await get_as("198.51.100.2") == 200


def test_a_route_naming_a_rate_limit_nobody_serves_is_found() -> None:
    @get("/typo", opt={OPT_KEY: "pubic"}, sync_to_thread=False)
    def typo() -> None:
        return None

    adapters = in_memory_adapters()
    app = create_app(Settings(), adapters)
    limiters = {PUBLIC: adapters.public_rate_limiter}
    assert unknown_policies(app.routes, limiters) == []
    app.register(typo)
    assert unknown_policies(app.routes, limiters) == ["/typo: 'pubic'"]
