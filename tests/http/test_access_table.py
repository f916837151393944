"""Every route, to every caller, answers what the access table says.

The routes come from the app's own route table (``tests.support.operations``), the
requests from the hostile-input scene (``tests.support.hostile``): well formed, naming
real things of one truck (Taco Titan). Each caller sends each route that request: an
owner, an admin, then a manager, a crew member and a device of Taco Titan (own truck)
and of Curry On (another truck), a signed-in customer (with a customer credential of
their own) and an anonymous client. The answer must be
the table's (``fusionx.entrypoints.http.access_table``). A route with no row fails, and
says which row to add; a row for a route the app no longer has fails too.

One scene serves every route: routes that end what others need run last, and within a
route the callers the table refuses go before those it allows, so that an allowed call
that changes the scene (closing the shift, revoking a device) comes after the refusals
it could hide. Each call carries a credential issued for it alone, so a logout or a
password change ends nothing the next call needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar

from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret, new_secret
from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.cli import main
from fusionx.entrypoints.http.access_table import ACCESS, ROLES, Access, Answer, render_markdown
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from tests.factories import make_staff
from tests.support.customers import make_customer
from tests.support.hostile import Scene, memory_adapters, scene_on, sending_order
from tests.support.operations import Operation, filled, operations, websocket_paths

DOCUMENT = Path(__file__).parents[2] / "docs" / "access.md"
_APP = create_app(Settings(), memory_adapters())
OPERATIONS = sorted(operations(_APP, under=("/",)), key=sending_order)
STREAMS = [f"WEBSOCKET {path}" for path in websocket_paths(_APP)]
ROUTES = [operation.route for operation in OPERATIONS] + STREAMS
# What fills the path parameters of routes outside the API (the API's own come from the
# scene): the API description's pages and assets.
OTHER_PATH_VALUES = {"path": "swagger", "file_path": "swagger-ui.css"}
# A request about Taco Titan where the scene's own names another truck.
ABOUT_TACO = {"checkInTruck": "truck_id"}
Credential = Callable[[], Awaitable[dict[str, str]]]
CLOSE_CODES = {4401: Answer.UNAUTHENTICATED, 4403: Answer.FORBIDDEN, 4404: Answer.HIDDEN}


@dataclass(frozen=True)
class Caller:
    role: str
    own_truck: bool
    credential: Credential  # a fresh one for every call

    def __str__(self) -> str:
        if self.role in ("manager", "crew", "device"):
            return f"{self.role} ({'own' if self.own_truck else 'another'} truck)"
        return self.role

    def expected(self, access: Access) -> Answer:
        return access.answer(self.role, own_truck=self.own_truck)


@dataclass(frozen=True)
class World:
    scene: Scene
    callers: list[Caller]


def _issuer(adapters: Adapters, kind: PrincipalKind, subject_id: UUID) -> Credential:
    async def issue() -> dict[str, str]:
        secret = new_secret(kind)
        token = AccessToken(
            id=adapters.ids.new_id(),
            token_hash=hash_secret(secret),
            kind=kind,
            subject_id=subject_id,
            created_at=adapters.clock.now(),
        )
        async with adapters.uow() as uow:
            await uow.tokens.add(token)
            await uow.commit()
        return {"Authorization": f"Bearer {secret}"}

    return issue


async def _nothing() -> dict[str, str]:
    return {}


@pytest.fixture(scope="module")
async def world() -> AsyncIterator[World]:
    async with scene_on(memory_adapters()) as scene:
        adapters = scene.adapters
        taco, curry = scene.taco, scene.curry

        async def device_of(truck_id: UUID) -> UUID:
            answer = await scene.client.post(
                f"/api/v1/trucks/{truck_id}/devices",
                json={"label": "Pass", "platform": "ipados", "app_version": "1.0",
                      "os_version": "17.5"},
                headers=scene.owner_headers,
            )  # fmt: skip
            assert answer.status_code == 201, answer.text
            return UUID(answer.json()["device"]["id"])

        def staff(member_id: UUID) -> Credential:
            return _issuer(adapters, PrincipalKind.STAFF, member_id)

        def device(device_id: UUID) -> Credential:
            return _issuer(adapters, PrincipalKind.DEVICE, device_id)

        # A customer account of its own (not the scene's Ana): a customer credential as
        # the one-time-code sign-in issues it.
        customer = await make_customer(adapters)

        admin = await make_staff(adapters, role=Role.ADMIN)
        taco_manager = await make_staff(adapters, role=Role.MANAGER, trucks=[taco])
        taco_crew = await make_staff(adapters, role=Role.CREW, trucks=[taco])
        curry_crew = await make_staff(adapters, role=Role.CREW, trucks=[curry])
        callers = [
            Caller("owner", True, staff(scene.owner.id)),
            Caller("admin", True, staff(admin.id)),
            Caller("manager", True, staff(taco_manager.id)),
            Caller("manager", False, staff(scene.curry_manager.id)),
            Caller("crew", True, staff(taco_crew.id)),
            Caller("crew", False, staff(curry_crew.id)),
            Caller("device", True, device(await device_of(taco.id))),
            Caller("device", False, device(await device_of(curry.id))),
            Caller("customer", False, _issuer(adapters, PrincipalKind.CUSTOMER, customer.id)),
            Caller("anonymous", False, _nothing),
        ]
        assert {caller.role for caller in callers} == set(ROLES), "a caller for every role"
        yield World(scene=scene, callers=callers)


# --- the table covers the app ------------------------------------------------------------


def test_every_route_has_a_row_and_every_row_a_route() -> None:
    missing = [route for route in ROUTES if route not in ACCESS]
    gone = [route for route in ACCESS if route not in ROUTES]
    assert not missing, (
        "routes without a row in fusionx/entrypoints/http/access_table.py ACCESS (add "
        f'"METHOD path": <who may>, then run `fusionx access-table --out docs/access.md`): '
        f"{missing}"
    )
    assert not gone, f"rows of ACCESS for routes the app no longer has: {gone}"


def test_the_document_is_rendered_from_the_table() -> None:
    assert DOCUMENT.read_text() == render_markdown(), (
        "docs/access.md is out of date: run `fusionx access-table --out docs/access.md`"
    )


def test_the_cli_writes_the_document(tmp_path: Path) -> None:
    written = tmp_path / "access.md"

    assert main(["access-table", "--out", str(written)]) == 0
    assert written.read_text() == render_markdown()


# --- every route answers every caller as the table says --------------------------------


def _answer(status: int) -> Answer | str:
    if status < 400 or status in (409, 422):
        return Answer.ALLOWED
    try:
        return Answer(str(status))
    except ValueError:
        return str(status)


def _refused_first(callers: list[Caller], access: Access | None) -> list[Caller]:
    """The refused callers first; then, of the allowed, those of one truck before owners and
    admins: a change by a fleet-wide caller could take the resource out of a narrower
    caller's scope (a crew member taken off the truck), never the other way round."""
    if access is None:
        return callers

    def key(caller: Caller) -> tuple[bool, bool]:
        allowed = caller.expected(access) == Answer.ALLOWED
        return allowed, caller.role in ("owner", "admin")

    return sorted(callers, key=key)


async def _check(
    route: str,
    callers: list[Caller],
    send: Callable[[dict[str, str]], Awaitable[tuple[Answer | str, str]]],
) -> None:
    access = ACCESS.get(route)
    seen: dict[str, str] = {}
    complaints = []
    for caller in _refused_first(callers, access):
        answer, text = await send(await caller.credential())
        seen[str(caller)] = str(answer)
        if access is not None and answer != caller.expected(access):
            complaints.append(f"{caller}: {answer}, not {caller.expected(access)}: {text[:200]}")
    assert access is not None, (
        f'no row for "{route}" in ACCESS (fusionx/entrypoints/http/access_table.py): add one '
        f"saying who may; today the callers get {seen}"
    )
    assert not complaints, f"{route}: " + "; ".join(complaints)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.route)
async def test_every_caller_gets_the_tables_answer(world: World, operation: Operation) -> None:
    scene = world.scene
    body = scene.wire_example(operation)
    if operation.operation_id in ABOUT_TACO:
        body = {**body, ABOUT_TACO[operation.operation_id]: str(scene.taco.id)}
    # The item in a path is Taco Titan's own, so that another truck's caller must not see it.
    path = {**OTHER_PATH_VALUES, "item_id": scene.taco_private_item}

    async def send(credential: dict[str, str]) -> tuple[Answer | str, str]:
        response = await scene.send(operation, body=body, path=path, caller=credential)
        return _answer(response.status_code), response.text

    await _check(operation.route, world.callers, send)


async def _stream_answer(app: Litestar, url: str, credential: dict[str, str]) -> tuple[str, str]:
    """Open a WebSocket to ``app`` on this loop, straight through ASGI: its first event is
    ``allowed``; a close is 4000 + the status an HTTP request would get."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await inbox.put({"type": "websocket.connect"})
    if not credential:  # a browser's way: a first message, here one without a token
        await inbox.put({"type": "websocket.receive", "text": '{"type": "auth", "token": ""}'})
    scope = {
        "type": "websocket", "asgi": {"version": "3.0"}, "scheme": "ws", "path": url,
        "raw_path": url.encode(), "query_string": b"", "root_path": "", "subprotocols": [],
        "headers": [(k.lower().encode(), v.encode()) for k, v in credential.items()],
        "client": ("127.0.0.1", 50000), "server": ("fusionx.test", 80),
    }  # fmt: skip
    served = asyncio.create_task(app(scope, inbox.get, outbox.put))  # type: ignore[arg-type]
    try:
        async with asyncio.timeout(5):
            while (message := await outbox.get())["type"] == "websocket.accept":
                pass
    finally:
        await inbox.put({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(served, 5)
    if message["type"] == "websocket.close":
        code = message.get("code", 1000)
        return str(CLOSE_CODES.get(code, f"closed {code}")), message.get("reason", "")
    return Answer.ALLOWED, str(message.get("text"))


@pytest.mark.parametrize("route", STREAMS)
async def test_every_caller_of_a_stream_gets_the_tables_answer(world: World, route: str) -> None:
    """A stream accepts every connection, then either sends events or closes with 4000 +
    the status an HTTP request would get."""
    scene = world.scene
    assert scene.app is not None
    app = scene.app
    url = filled(route.partition(" ")[2], scene.path_values())

    async def send(credential: dict[str, str]) -> tuple[Answer | str, str]:
        return await _stream_answer(app, url, credential)

    await _check(route, world.callers, send)
