"""Every page route, found in the app rather than listed: each declares who may open it
(``web/access.py``) and answers accordingly without a session, carries the
Content-Security-Policy, and refuses a state-changing request without the CSRF token.
A page added later is covered by these tests without a line here."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from litestar.routes import HTTPRoute

from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import in_memory_adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.content_security import CONTENT_SECURITY_POLICY
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.web.access import PageAccess, is_page, page_access
from fusionx.entrypoints.web.assets import asset_url
from fusionx.entrypoints.web.csrf import CSRF_FIELD, CSRF_HEADER
from tests.factories import PASSWORD, make_staff
from tests.web.conftest import sign_in, sign_in_form

SAFE = {"GET", "HEAD"}
_ANY_UUID = "00000000-0000-4000-8000-000000000000"
# A value for each path parameter of a page route (nothing need exist behind it).
PATH_VALUES = {
    "{truck_id:uuid}": "0b8e5a2c-6f4d-4d8e-9a51-3c2f1e7d9b40",
    "{token:str}": "fxt_" + "x" * 43,  # a tracking link's shape
}


@dataclass(frozen=True)
class PageRoute:
    method: str
    path: str
    access: PageAccess

    @property
    def url(self) -> str:
        if "{file_path:path}" in self.path:
            return asset_url("app.css")
        path = self.path
        for parameter, value in PATH_VALUES.items():
            path = path.replace(parameter, value)
        path = re.sub(r"\{\w+:uuid\}", _ANY_UUID, path)  # the session is asked first
        assert "{" not in path, f"give {self.path} a value for its parameters in PATH_VALUES"
        return path

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _page_routes() -> list[PageRoute]:
    app = create_app(Settings(), in_memory_adapters())
    found = []
    for route in app.routes:
        if not (isinstance(route, HTTPRoute) and is_page(route)):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"}:
                continue  # Litestar's own, for CORS preflight
            access = page_access(handler.opt)
            assert access is not None, f"{route.path}: a page route without a declared access"
            found.extend(
                PageRoute(method, route.path, access)
                for method in sorted(handler.http_methods - {"OPTIONS"})
            )
    return found


PAGE_ROUTES = _page_routes()
WRITES = [route for route in PAGE_ROUTES if route.method not in SAFE]


def test_the_pages_are_found():
    assert {str(route) for route in PAGE_ROUTES} >= {
        "GET /app",
        "GET /app/sign-in",
        "POST /app/sign-in",
        "POST /app/sign-out",
    }
    assert WRITES


def test_every_route_under_app_is_a_page_with_a_declared_access():
    app = create_app(Settings(), in_memory_adapters())
    undeclared = [
        route.path
        for route in app.routes
        if route.path.startswith("/app")
        for handler in getattr(route, "route_handlers", ())
        if page_access(handler.opt) is None and handler.http_methods != {"OPTIONS"}
    ]
    assert undeclared == []


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=str)
async def test_without_a_session_each_page_answers_as_its_access_says(client, route):
    token = await sign_in_form(client)
    answer = await client.request(
        route.method, route.url, headers={CSRF_HEADER: token}, follow_redirects=False
    )

    if route.access is PageAccess.STAFF:
        assert answer.status_code == 303
        assert answer.headers["location"] == "/app/sign-in"
    elif route.access is PageAccess.KITCHEN:
        assert answer.status_code == 303
        assert answer.headers["location"] == "/app/board/pair"
    else:
        assert answer.status_code < 500
        assert answer.status_code not in {303, 403}


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=str)
async def test_each_page_carries_the_content_security_policy(client, adapters, route):
    staff = await make_staff(adapters, role=Role.OWNER)
    await sign_in(client, staff.email, PASSWORD)
    token = client.cookies["fusionx_csrf"]

    answer = await client.request(
        route.method, route.url, headers={CSRF_HEADER: token}, follow_redirects=False
    )

    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("route", WRITES, ids=str)
@pytest.mark.parametrize("sent", ["none", "wrong", "in another cookie only"])
async def test_each_state_changing_page_request_needs_the_csrf_token(client, adapters, route, sent):
    staff = await make_staff(adapters, role=Role.OWNER)
    await sign_in(client, staff.email, PASSWORD)
    token = client.cookies["fusionx_csrf"]
    form = {"none": {}, "wrong": {CSRF_FIELD: token[::-1]}}.get(sent, {})
    if sent == "in another cookie only":
        client.cookies.set("fusionx_csrf", "x" * len(token), path="/app")
        form = {CSRF_FIELD: token}

    refused = await client.request(route.method, route.url, data=form, follow_redirects=False)

    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/permission-denied"


@pytest.mark.parametrize("route", WRITES, ids=str)
@pytest.mark.parametrize("how", ["form field", "header"])
async def test_the_right_token_passes_the_csrf_check(client, adapters, route, how):
    staff = await make_staff(adapters, role=Role.OWNER)
    await sign_in(client, staff.email, PASSWORD)
    token = client.cookies["fusionx_csrf"]
    sent = (
        {"data": {CSRF_FIELD: token}} if how == "form field" else {"headers": {CSRF_HEADER: token}}
    )

    answer = await client.request(route.method, route.url, follow_redirects=False, **sent)

    assert answer.status_code != 403


def test_no_page_route_is_in_the_api_description():
    app = create_app(Settings(), in_memory_adapters())
    documented = app.openapi_schema.paths or {}
    assert [path for path in documented if re.match(r"/app\b", path)] == []
