"""Every error a client can meet is an RFC 9457 problem, mapped in one table."""

from __future__ import annotations

import inspect
from uuid import uuid4

import msgspec
import pytest
from litestar import Litestar, get, post
from litestar.exceptions import ValidationException
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient

from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.core import errors as core_errors
from fusionx.core.errors import Conflict, DomainError
from fusionx.core.messages import Message
from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.field_errors import BadField, field_errors
from fusionx.entrypoints.http.problems import EXCEPTION_PROBLEMS, problem_for
from fusionx.entrypoints.settings import Settings
from fusionx.ports.errors import StorageBusy, StorageUnavailable
from tests.factories import make_staff, make_truck
from tests.http.conftest import device_body

MEMBERS = {"type", "title", "status", "detail", "instance", "request_id"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body.keys() >= MEMBERS
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    assert body["request_id"] == response.headers["x-request-id"]
    assert body["type"].startswith("/problems/") or body["type"] == "about:blank"
    return body


@get("/test/conflict", operation_id="testConflict", summary="Test only")
async def raise_conflict() -> None:
    raise Conflict(Message("staff.exists", {"field": "email"}), field="email", status=200)


@get("/test/boom", operation_id="testBoom", summary="Test only")
async def raise_unexpected() -> None:
    raise RuntimeError("connection string postgres://admin:hunter2@db leaked")


@post("/test/echo", operation_id="testEcho", summary="Test only")
async def echo(data: JSONBody[dict[str, str]]) -> dict[str, str]:
    return data


@pytest.fixture
def app(settings: Settings, adapters: Adapters) -> Litestar:
    app = create_app(settings, adapters)
    for handler in (raise_conflict, raise_unexpected, echo):
        app.register(handler)
    return app


async def test_401_without_credential(client):
    body = assert_problem(await client.get("/api/v1/me"), 401)

    assert body["type"] == "/problems/authentication-required"


async def test_401_carries_a_bearer_challenge(client):
    response = await client.get("/api/v1/me", headers={"Authorization": "Bearer fxs_unknown"})

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_403_when_the_role_does_not_allow(client, adapters, sign_in):
    truck = await make_truck(adapters)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[truck])

    response = await client.post(
        f"/api/v1/trucks/{truck.id}/devices", json=device_body(), headers=await sign_in(crew)
    )

    body = assert_problem(response, 403)
    assert body["type"] == "/problems/permission-denied"
    assert "manager" in body["detail"]


async def test_404_for_an_unknown_route(client):
    body = assert_problem(await client.get("/api/v1/nothing-here"), 404)

    assert body["type"] == "about:blank"
    assert body["title"] == "Not Found"


async def test_404_for_a_path_parameter_of_the_wrong_shape(client):
    assert_problem(await client.delete("/api/v1/devices/not-a-uuid"), 404)


async def test_404_for_an_unknown_resource(client, adapters, sign_in):
    owner = await make_staff(adapters, role=Role.OWNER)
    device_id = uuid4()

    response = await client.delete(f"/api/v1/devices/{device_id}", headers=await sign_in(owner))

    body = assert_problem(response, 404)
    assert body["type"] == "/problems/not-found"
    assert str(device_id) in body["detail"]


async def test_405_keeps_the_allow_header(client):
    response = await client.put("/api/v1/me")

    body = assert_problem(response, 405)
    assert body["type"] == "about:blank"
    assert "GET" in response.headers["allow"]


async def test_409_carries_the_conflict_context(client):
    body = assert_problem(await client.get("/test/conflict"), 409)

    assert body["type"] == "/problems/conflict"
    assert body["field"] == "email"
    assert body["status"] == 409  # context may not overwrite standard members


async def test_413_for_a_body_over_the_limit(adapters):
    app = create_app(Settings(max_body_bytes=1024), adapters)
    async with AsyncTestClient(app) as client:
        small = await client.post("/api/v1/auth/login", json={"email": "a@b.io", "password": "x"})
        large = await client.post(
            "/api/v1/auth/login", json={"email": "a@b.io", "password": "x" * 2000}
        )

    assert small.status_code == 401
    assert_problem(large, 413)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"password": "correct horse battery"}, "email", "is required"),
        ({"email": "ana@example.io", "password": 12}, "password", "Expected str, got int"),
        ({"email": "", "password": "x"}, "email", "Expected str of length >= 1"),
        ([], "body", "Expected object, got array"),
    ],
)
async def test_422_names_the_bad_field_of_a_body(client, body, field, message):
    response = await client.post("/api/v1/auth/login", json=body)

    problem = assert_problem(response, 422)
    assert problem["type"] == "/problems/validation-failed"
    assert problem["errors"] == [{"field": field, "message": message}]
    assert field in problem["detail"]


async def _device_refused(client, adapters, sign_in, **changes) -> dict:
    """A manager registers a device whose body has ``changes``: the 422's problem."""
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    response = await client.post(
        f"/api/v1/trucks/{truck.id}/devices",
        json=device_body(**changes),
        headers=await sign_in(manager),
    )
    return assert_problem(response, 422)


async def test_422_for_a_value_outside_an_enum(client, adapters, sign_in):
    problem = await _device_refused(client, adapters, sign_in, platform="palmos")

    assert [e["field"] for e in problem["errors"]] == ["platform"]


async def test_422_for_a_rule_the_core_enforces(client, adapters, sign_in):
    problem = await _device_refused(client, adapters, sign_in, label="   ")

    assert problem["errors"] == [{"field": "label", "message": "must not be empty"}]


async def test_422_for_an_empty_body(client):
    response = await client.post("/test/echo", content=b"")

    problem = assert_problem(response, 422)
    assert problem["errors"] == [{"field": "body", "message": "is required"}]


async def test_400_for_a_body_that_is_not_json(client):
    response = await client.post(
        "/api/v1/auth/login",
        content=b"email=ana&password=x",
        headers={"content-type": "application/json"},
    )

    body = assert_problem(response, 400)
    assert body["type"] == "/problems/malformed-body"


async def test_429_says_when_to_retry(client, adapters):
    staff = await make_staff(adapters)
    for _ in range(6):
        response = await client.post(
            "/api/v1/auth/login", json={"email": staff.email, "password": "wrong password!"}
        )

    body = assert_problem(response, 429)
    assert body["retry_after"] == int(response.headers["retry-after"])


async def test_500_reveals_nothing_but_the_request_id(client, log_lines):
    response = await client.get("/test/boom")

    body = assert_problem(response, 500)
    assert body["type"] == "about:blank"
    assert body["title"] == "Internal Server Error"
    assert "request_id" in body["detail"]
    for leak in ("Traceback", "RuntimeError", "hunter2", "postgres://", "raise_unexpected"):
        assert leak not in response.text
    [logged] = [r for r in log_lines.of_request(body["request_id"]) if r["level"] == "error"]
    assert logged["event"] == "unhandled_exception"
    assert "Traceback" in logged["exception"]
    assert "RuntimeError" in logged["exception"]


def test_every_domain_error_has_its_own_status():
    domain_errors = [
        cls
        for _, cls in inspect.getmembers(core_errors, inspect.isclass)
        if issubclass(cls, DomainError) and cls is not DomainError
    ]

    assert domain_errors
    for cls in domain_errors:
        assert cls in EXCEPTION_PROBLEMS, f"{cls.__name__} has no row in the problem table"


@pytest.mark.parametrize(
    ("error", "status", "extra"),
    [
        (core_errors.InvalidInput("name", Message("input.empty")), 422, "errors"),
        (core_errors.NotFound("truck", "t-1"), 404, None),
        (core_errors.Conflict(Message("shift.closed"), field="email"), 409, "field"),
        (core_errors.AuthenticationRequired(Message("auth.credential_refused")), 401, None),
        (core_errors.InvalidCredentials(), 401, None),
        (core_errors.PermissionDenied(Message("access.staff_only")), 403, None),
        (core_errors.TooManyAttempts(Message("auth.too_many_attempts"), 30), 429, "retry_after"),
        (StorageUnavailable("database unreachable: refused"), 503, None),
        (StorageBusy("gave way to a competing transaction"), 503, None),
        (ValueError("internal"), 500, None),
    ],
)
def test_the_table_maps_errors_to_statuses(error, status, extra):
    problem = problem_for(error)

    assert problem.status == status
    if extra:
        assert extra in problem.extensions
    if status == 500:
        assert "internal" not in packaged_translator().render(problem.detail, "en")


def test_a_lost_lock_race_says_retry_at_once_not_that_the_database_is_down():
    busy = problem_for(StorageBusy("gave way to a competing transaction"))
    down = problem_for(StorageUnavailable("database unreachable: refused"))

    assert busy.type == "/problems/storage-busy"
    assert busy.headers["Retry-After"] == "1"
    assert down.type == "/problems/storage-unavailable"


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        (
            {"message": "Object missing required field `email`", "key": "data"},
            "email",
            "is required",
        ),
        (
            {"message": "Object missing required field `city`", "key": "address"},
            "address.city",
            "is required",
        ),
        (
            {"message": "Expected `int` >= 1", "key": "limit", "source": "query"},
            "limit",
            "Expected int >= 1",
        ),
        ({"message": "'data'", "key": "data", "source": "body"}, "body", "is required"),
    ],
)
def test_field_errors_from_litestar_extra(item, field, message):
    error = ValidationException(detail="Validation failed", extra=[item])

    assert _in_english(field_errors(error)) == [(field, message)]


def test_field_errors_fall_back_on_the_msgspec_path():
    error = ValidationException(detail="Validation failed")
    error.__cause__ = msgspec.ValidationError(
        "Expected `str`, got `int` - at `$.data.database_url`"
    )

    assert _in_english(field_errors(error)) == [("database_url", "Expected str, got int")]


def _in_english(errors: list[BadField]) -> list[tuple[str, str]]:
    translator = packaged_translator()
    return [(bad.field, translator.render(bad.message, "en")) for bad in errors]
