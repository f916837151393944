"""Schemathesis drives every operation of the OpenAPI document against the real app.

Requests are generated from the document, valid ones and ones it forbids, and sent
in-process through the ASGI app, as an owner and as crew, on the SQL adapters over the
embedded database (and PostgreSQL with FUSIONX_FUZZ_POSTGRES=1), seeded with a fleet, an
open shift, an order and a device. Every path id, and every id field of a body, names a
real record, so requests get past the 404s to the rules behind them. The answers must
keep to the document: no server error, no status the operation does not list, no body
outside its schema.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import pytest
import schemathesis
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fusionx.adapters.memory.email import RecordingEmailSender
from fusionx.adapters.sql.migrations.runner import upgrade_to_head
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.log_in import LogIn, LogInRequest
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.controllers.fleet_live import LIVE_TIMING_STATE_KEY, LiveStreamTiming
from fusionx.entrypoints.settings import Settings
from tests.factories import PASSWORD, make_location, make_staff, make_truck
from tests.support.api_changes import API_DOCS
from tests.support.gateway import SECRET
from tests.support.postgres import scratch_database

# Enough to meet every operation with valid and invalid input in a couple of minutes, the
# same examples each run (CI must not be a lottery). Explore further by hand with e.g.
# FUSIONX_FUZZ_EXAMPLES=200 FUSIONX_FUZZ_RANDOM=1.
EXAMPLES_PER_OPERATION = int(os.environ.get("FUSIONX_FUZZ_EXAMPLES", "15"))
RANDOM = os.environ.get("FUSIONX_FUZZ_RANDOM") == "1"
_OURS = "192.0.2.10"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass(frozen=True)
class World:
    client: TestClient[Any]
    adapters: Adapters
    ids: dict[str, str]
    tokens: dict[str, str]
    emails: dict[str, str]

    def token(self, role: str) -> str:
        return self.tokens[role]

    def fresh_token(self, role: str) -> str:
        """A session of its own, for an operation that ends the one it is sent with.

        Signed in from an address of its own: the fuzzed sign-ins' failures throttle theirs.
        """
        a = self.adapters
        log_in = LogIn(
            a.uow(), hasher=a.hasher, clock=a.clock, ids=a.ids, session_ttl=a.session_ttl
        )
        request = LogInRequest(email=self.emails[role], password=PASSWORD, client_address=_OURS)
        return self.client.blocking_portal.call(log_in.execute, request).token


# The embedded database in every run; PostgreSQL too with FUSIONX_FUZZ_POSTGRES=1.
DATABASES = ["sqlite", *(["postgresql"] if os.environ.get("FUSIONX_FUZZ_POSTGRES") == "1" else [])]


@pytest.fixture(scope="module", params=DATABASES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The SQL adapters on a real database: real constraints, real encodings."""
    with _database(request.param, tmp_path_factory) as url:
        upgrade_to_head(url)
        settings = Settings(database_url=url, payment_webhook_secret=SECRET)
        # A mail server that takes everything: email off would be a 503 by design.
        email = RecordingEmailSender()
        adapters = replace(sql_adapters(settings), email=email, email_later=email)
        app = create_app(settings, adapters)
        # The live fleet stream has no end of its own: it ends soon, once it has read.
        app.state[LIVE_TIMING_STATE_KEY] = LiveStreamTiming(lifetime=0.2)
        with TestClient(app) as client:
            yield _seed(client, adapters)


@contextmanager
def _database(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('fuzz') / 'fusionx.db'}"
        return
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(scratch_database("fusionx_fuzz")) as url,
    ):
        yield url


@pytest.fixture(scope="module")
def contract(world: World) -> Any:
    return schemathesis.openapi.from_dict(world.client.get("/schema/openapi.json").json())


def committed_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the committed document, kept fresh by
    ``test_schema_documents``: one test each, as an owner and as crew."""
    document = json.loads((API_DOCS / "openapi.json").read_text(encoding="utf-8"))
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.mark.parametrize("role", ["owner", "crew"])
@pytest.mark.parametrize(("method", "path"), committed_operations())
def test_every_operation_keeps_to_the_document(
    contract: Any, world: World, method: str, path: str, role: str
) -> None:
    operation = contract[path][method]
    ids = {name: world.ids[name] for name in _path_names(path) if name in world.ids}
    cases = st.one_of(
        operation.as_strategy(mode, path_parameters=ids)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    )

    @FUZZ
    @given(case=cases)
    def exchange(case: Any) -> None:
        exercise(case, world, role)

    exchange()


FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=not RANDOM,
)


def exercise(case: Any, world: World, role: str) -> None:
    if isinstance(case.body, dict | list):
        _replace_ids(case.body, world.ids)
    if case.operation.definition.raw.get("security"):
        token = world.fresh_token(role) if _ends_the_session(case) else world.token(role)
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    kwargs = case.as_transport_kwargs(base_url="http://testserver.local")
    response = world.client.request(**_for_httpx(kwargs))
    case.validate_response(response, checks=CHECKS)


def _path_names(path: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", path)


def _ends_the_session(case: Any) -> bool:
    return case.operation.definition.raw.get("operationId") == "logOut"


def _replace_ids(value: Any, ids: dict[str, str]) -> None:
    """Id fields of a body name seeded records (lists of ids too), whatever was generated."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, inner in list(items):
        if isinstance(inner, dict | list):
            _replace_ids(inner, ids)
        name = key if isinstance(key, str) else ""
        if name in ids and _is_uuid(inner):
            value[key] = ids[name]
        elif name.removesuffix("s") in ids and isinstance(inner, list):
            value[key] = [ids[name.removesuffix("s")] if _is_uuid(v) else v for v in inner]


def _is_uuid(value: Any) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _for_httpx(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Schemathesis speaks `requests`; Litestar's client is httpx."""
    out = dict(kwargs)
    if "data" in out and not isinstance(out["data"], dict | list):
        out["content"] = out.pop("data")
    if not out.get("cookies"):
        out.pop("cookies", None)
    out.pop("allow_redirects", None)
    out.pop("verify", None)
    out.pop("cert", None)
    out.pop("timeout", None)
    return out


def _seed(client: TestClient[Any], adapters: Adapters) -> World:
    portal = client.blocking_portal
    taco = portal.call(make_truck, adapters, "Taco Titan")
    portal.call(make_truck, adapters, "Curry On")
    plaza = portal.call(make_location, adapters, "Market Plaza")
    people = {
        "owner": portal.call(lambda: make_staff(adapters, role=Role.OWNER)),
        "manager": portal.call(lambda: make_staff(adapters, role=Role.MANAGER, trucks=[taco])),
        "crew": portal.call(lambda: make_staff(adapters, role=Role.CREW, trucks=[taco])),
    }
    emails = {role: staff.email for role, staff in people.items()}
    tokens: dict[str, str] = {}
    for role, email in emails.items():
        login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        tokens[role] = login.json()["token"]

    def call(method: str, url: str, body: Any = None, role: str = "owner") -> dict[str, Any]:
        auth = {"Authorization": f"Bearer {tokens[role]}"}
        response = client.request(method, url, json=body, headers=auth)
        assert response.status_code < 300, f"{method} {url}: {response.text}"
        return response.json() if response.content else {}

    category = call("POST", "/api/v1/menu/categories", {"name": "Mains"})
    group = call(
        "POST",
        "/api/v1/menu/modifier-groups",
        {"name": "Salsa", "options": [{"name": "Verde"}, {"name": "Roja"}]},
    )
    item = call(
        "POST",
        "/api/v1/menu/items",
        {"category_id": category["id"], "name": "Burrito", "price_cents": 950},
    )
    shift = call(
        "POST",
        "/api/v1/shifts",
        {"truck_id": str(taco.id), "location_id": str(plaza.id)},
        role="manager",
    )
    device = call(
        "POST",
        f"/api/v1/trucks/{taco.id}/devices",
        {"label": "Grill", "platform": "ipados", "app_version": "1.0", "os_version": "17"},
        role="manager",
    )
    tokens["device"] = device["credential"]
    push = {"token": "ab" * 32, "app_version": "1.0", "os_version": "17"}
    call("PUT", "/api/v1/devices/me/push-token", push, role="device")
    adjust = {"item_id": item["id"], "reason": "restock", "delta": 50}
    call("POST", f"/api/v1/shifts/{shift['id']}/inventory/adjustments", adjust, role="manager")
    order = call(
        "POST",
        f"/api/v1/shifts/{shift['id']}/orders",
        {"lines": [{"item_id": item["id"], "quantity": 1}]},
        role="manager",
    )
    notifications = call("GET", f"/api/v1/trucks/{taco.id}/notifications", role="manager")
    ids = {
        "truck_id": str(taco.id),
        "location_id": str(plaza.id),
        "shift_id": shift["id"],
        "category_id": category["id"],
        "group_id": group["id"],
        "modifier_group_id": group["id"],
        "item_id": item["id"],
        "order_id": order["order"]["id"],
        "ticket_id": order["ticket"]["id"],
        "device_id": device["device"]["id"],
        "notification_id": notifications["items"][0]["id"],
    }
    return World(client=client, adapters=adapters, ids=ids, tokens=tokens, emails=emails)
