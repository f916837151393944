"""Which routes carry secrets, read from the route table and the API description, and
the headers every response carries: ``nosniff`` on all, ``no-store`` where a credential
is issued, HSTS when the service is served over TLS."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.credential_routes import secrets_of
from fusionx.entrypoints.settings import Settings
from tests.http.conftest import Fleet, Headers
from tests.http.test_secrets_at_rest import (
    OPERATIONS,
    an_endpoint,
    email_links,
    exchanges,
    make_pending,
)

# A device's APNs token is Apple's address for it, not a credential of ours: it grants
# nothing without our signing key, and the device shows it again on every registration.
NOT_OUR_CREDENTIALS = {"registerPushToken"}
_PATH_PARAMETER = re.compile(r"\{(\w+):(\w+)\}")


def handlers(app: Litestar) -> Iterator[tuple[HTTPRoute, str, Any]]:
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                for method in sorted(handler.http_methods):
                    yield route, method, handler


def concrete(path: str) -> str:
    """A route's path with a value of the right type for each parameter."""
    return _PATH_PARAMETER.sub(lambda m: str(uuid4()) if m.group(2) == "uuid" else "x", path)


def members(
    schema: Any, components: dict[str, Any], seen: frozenset[str] = frozenset()
) -> set[str]:
    """Every property name anywhere in ``schema``, following references."""
    if isinstance(schema, list):
        return set().union(*(members(s, components, seen) for s in schema))
    if not isinstance(schema, dict):
        return set()
    found: set[str] = set()
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            found |= members(components[name], components, seen | {name})
    found |= set(schema.get("properties", {}))
    for value in schema.values():
        found |= members(value, components, seen)
    return found


@pytest.fixture
async def schema(client: AsyncTestClient[Litestar]) -> dict[str, Any]:
    return (await client.get("/schema/openapi.json")).json()


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for item in schema["paths"].values():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield operation["operationId"], operation


def test_every_route_that_issues_a_credential_or_takes_a_password_says_so(
    app: Litestar, schema: dict[str, Any]
) -> None:
    components = schema["components"]["schemas"]
    issuing, taking = set(), set()
    for operation_id, operation in operations(schema):
        answers = members(
            [r for status, r in operation["responses"].items() if status.startswith("2")],
            components,
        )
        # A pairing code is a credential too, for the few minutes it lives.
        secret = answers & {"token", "credential", "secret", "code"}
        if secret and operation_id not in NOT_OUR_CREDENTIALS:
            issuing.add(operation_id)
        if any("password" in name for name in members(operation.get("requestBody"), components)):
            taking.add(operation_id)

    declared = {
        handler.operation_id: secrets
        for _, _, handler in handlers(app)
        if (secrets := secrets_of(handler)) is not None
    }
    assert {op for op, s in declared.items() if s.reissue} == issuing
    assert {op for op, s in declared.items() if s.password_in_body} == taking
    assert set(declared) == set(OPERATIONS)  # each one's exchange is tested at rest


async def test_every_response_of_every_route_is_nosniff(
    app: Litestar, client: AsyncTestClient[Litestar], manager: Headers
) -> None:
    tried = 0
    for route, method, _handler in handlers(app):
        for headers in ({}, manager):
            response = await client.request(
                method,
                concrete(route.path),
                headers=headers,
                json={} if method in {"POST", "PUT", "PATCH"} else None,
            )
            assert response.headers.get("X-Content-Type-Options") == "nosniff", (
                f"{method} {route.path}: {response.status_code}"
            )
            tried += 1
    for method, path in (("GET", "/nowhere"), ("DELETE", "/health/live")):  # 404, 405
        response = await client.request(method, path)
        assert response.status_code in {404, 405}
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert tried > 100


async def test_every_credential_issuing_route_answers_no_store(  # noqa: PLR0917
    app: Litestar,
    adapters: Adapters,
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    manager: Headers,
    sign_in: Callable[..., Awaitable[Headers]],
) -> None:
    links = await email_links(adapters, fleet)
    await make_pending(adapters, fleet.taco_crew)
    issuing = {
        handler.operation_id
        for _, _, handler in handlers(app)
        if (secrets := secrets_of(handler)) is not None and secrets.reissue
    }
    assert issuing
    endpoint_id = await an_endpoint(adapters, fleet)
    owner = await sign_in(fleet.owner)
    for operation_id in sorted(issuing):
        exchange = exchanges(fleet, links, endpoint_id)[operation_id]
        caller = owner if exchange.by == "owner" else manager
        response = await client.post(exchange.path, json=exchange.body, headers=caller)
        assert response.status_code == exchange.status, response.text
        assert exchange.issued in response.json()
        assert response.headers["Cache-Control"] == "no-store", operation_id
        refused = await client.post(exchange.path, json={}, headers=caller)
        assert refused.headers["Cache-Control"] == "no-store", operation_id
    # What carries no credential may be cached by the client (the feed's ETags need it).
    me = await client.get("/api/v1/me", headers=manager)
    assert "no-store" not in me.headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("public_url", "hsts"),
    [
        ("https://api.fusionx.example", "max-age=31536000"),
        ("http://localhost:8000", None),
        (None, None),
    ],
)
async def test_hsts_only_when_served_over_tls(
    adapters: Adapters, public_url: str | None, hsts: str | None
) -> None:
    app = create_app(Settings(public_url=public_url), adapters)
    async with AsyncTestClient(app) as client:
        for path in ("/health/live", "/nowhere", "/api/v1/me"):
            response = await client.get(path)
            assert response.headers.get("Strict-Transport-Security") == hsts, path
