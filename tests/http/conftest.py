"""The HTTP suite: the real app over in-memory adapters, driven through Litestar's client."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
import structlog
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.payments.recording_gateway import RecordingPaymentGateway
from fusionx.core.model.menu import MenuItem
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.shifts import Shift
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.use_cases.commands.check_in_truck import CheckInRequest, CheckInTruck
from fusionx.core.use_cases.commands.create_location import CreateLocation, CreateLocationRequest
from fusionx.core.use_cases.commands.create_menu_entries import (
    CreateCategoryRequest,
    CreateItemRequest,
    CreateMenuEntries,
)
from fusionx.core.use_cases.commands.register_device import RegisterDevice, RegisteredDevice
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.logging import configure_logging
from fusionx.entrypoints.settings import LogFormat, Settings
from tests.factories import PASSWORD, RegisterDeviceRequestFactory, make_staff, make_truck
from tests.support import databases
from tests.support.databases import MigratedDatabase
from tests.support.hostile import Scene, scene_on, sql_backend

Headers = dict[str, str]

# Session fixtures, for the HTTP tests that need a SQL database (asked for by name, so
# that a run without PostgreSQL never opens it).
sqlite_database = databases.sqlite_database
postgres_database = databases.postgres_database


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def app(settings: Settings, adapters: Adapters) -> Litestar:
    return create_app(settings, adapters)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app) as client:
        yield client


@pytest.fixture
async def same_loop_client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """Requests through httpx's ASGI transport on the test's own loop, without the app's
    lifespan: what PostgreSQL connections made by the test's fixtures need (they belong
    to one loop), and requests that overlap for real (Litestar's test client serves them
    one at a time, on a loop of its own)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client:
        yield client


@pytest.fixture
def sign_in(client: AsyncTestClient[Litestar]) -> Callable[..., Awaitable[Headers]]:
    """Log a staff member in through the API; returns the Authorization header to send."""

    async def sign_in(staff: StaffMember, password: str = PASSWORD) -> Headers:
        response = await client.post(
            "/api/v1/auth/login", json={"email": staff.email, "password": password}
        )
        assert response.status_code == 200, response.text
        return bearer(response.json()["token"])

    return sign_in


@pytest.fixture
def register_device(adapters: Adapters) -> Callable[..., Awaitable[RegisteredDevice]]:
    """Register a device straight through the use case, as ``by`` (a manager or owner)."""

    async def register_device(truck: Truck, by: StaffMember, **fields: Any) -> RegisteredDevice:
        request = RegisterDeviceRequestFactory.build(truck_id=truck.id, **fields)
        principal = StaffPrincipal(staff=by, token_id=uuid4())
        use_case = RegisterDevice(adapters.uow(), adapters.clock, adapters.ids)
        return await use_case.execute(principal, request)

    return register_device


def as_staff(staff: StaffMember) -> StaffPrincipal:
    """``staff`` as the caller of a use case, for seeding without going through the API."""
    return StaffPrincipal(staff=staff, token_id=uuid4())


@dataclass(frozen=True, kw_only=True)
class Fleet:
    """Two trucks with their staff, an owner, a location and the fleet's menu."""

    taco: Truck
    curry: Truck
    plaza: Location
    taco_manager: StaffMember
    taco_crew: StaffMember
    curry_manager: StaffMember
    owner: StaffMember
    burrito: MenuItem
    quesadilla: MenuItem
    horchata: MenuItem


@pytest.fixture
async def fleet(adapters: Adapters) -> Fleet:
    taco, curry = await make_truck(adapters, "Taco Titan"), await make_truck(adapters, "Curry On")
    plaza = await CreateLocation(adapters.uow(), adapters.clock, adapters.ids).execute(
        None, CreateLocationRequest(name="Market Plaza", timezone="Europe/Paris")
    )
    menu = CreateMenuEntries(adapters.uow(), adapters.clock, adapters.ids)
    mains = await menu.category(CreateCategoryRequest(name="Mains", display_order=1))
    drinks = await menu.category(CreateCategoryRequest(name="Drinks", display_order=2))

    async def item(category_id: UUID, name: str, price_cents: int, order: int) -> MenuItem:
        request = CreateItemRequest(
            category_id=category_id, name=name, price_cents=price_cents, display_order=order
        )
        return await menu.item(request)

    return Fleet(
        taco=taco,
        curry=curry,
        plaza=plaza,
        taco_manager=await make_staff(adapters, role=Role.MANAGER, trucks=[taco]),
        taco_crew=await make_staff(adapters, role=Role.CREW, trucks=[taco]),
        curry_manager=await make_staff(adapters, role=Role.MANAGER, trucks=[curry]),
        owner=await make_staff(adapters, role=Role.OWNER),
        burrito=await item(mains.id, "Burrito", 950, 1),
        quesadilla=await item(mains.id, "Quesadilla", 800, 2),
        horchata=await item(drinks.id, "Horchata", 350, 1),
    )


@pytest.fixture
def check_in(adapters: Adapters, fleet: Fleet) -> Callable[..., Awaitable[Shift]]:
    """Open a shift for ``truck`` at the plaza through the use case, as ``by``."""

    async def check_in(truck: Truck, by: StaffMember) -> Shift:
        use_case = CheckInTruck(adapters.uow(), adapters.clock, adapters.ids)
        request = CheckInRequest(truck_id=truck.id, location_id=fleet.plaza.id)
        return await use_case.execute(as_staff(by), request)

    return check_in


@pytest.fixture
async def taco_shift(check_in: Callable[..., Awaitable[Shift]], fleet: Fleet) -> Shift:
    return await check_in(fleet.taco, by=fleet.taco_manager)


@pytest.fixture
async def manager(sign_in: Callable[..., Awaitable[Headers]], fleet: Fleet) -> Headers:
    """The Taco Titan manager's Authorization header."""
    return await sign_in(fleet.taco_manager)


@pytest.fixture
async def outsiders(
    fleet: Fleet,
    sign_in: Callable[..., Awaitable[Headers]],
    register_device: Callable[..., Awaitable[RegisteredDevice]],
) -> list[Headers]:
    """Credentials of Curry On's manager and of its device: nothing of Taco Titan is theirs."""
    device = await register_device(fleet.curry, by=fleet.curry_manager)
    return [await sign_in(fleet.curry_manager), bearer(device.credential)]


@pytest.fixture
async def taco_device(
    fleet: Fleet, register_device: Callable[..., Awaitable[RegisteredDevice]]
) -> Headers:
    """A Taco Titan kitchen tablet's Authorization header."""
    return bearer((await register_device(fleet.taco, by=fleet.taco_manager)).credential)


@pytest.fixture
def restock(client: AsyncTestClient[Litestar]) -> Callable[..., Awaitable[None]]:
    """Put ``count`` of ``item`` on hand for a shift, through the adjustments endpoint."""

    async def restock(shift: Shift, item: MenuItem, count: int, headers: Headers) -> None:
        response = await client.post(
            f"/api/v1/shifts/{shift.id}/inventory/adjustments",
            json={"item_id": str(item.id), "reason": "restock", "delta": count},
            headers=headers,
        )
        assert response.status_code == 201, response.text

    return restock


def order_body(*lines: tuple[MenuItem, int], **fields: Any) -> dict[str, Any]:
    return {
        "lines": [{"item_id": str(item.id), "quantity": quantity} for item, quantity in lines],
        **fields,
    }


async def place(
    client: httpx.AsyncClient,
    shift: Shift,
    headers: Headers,
    *lines: tuple[MenuItem, int],
    **fields: Any,
) -> dict[str, Any]:
    """Place an order of ``lines`` on ``shift``: the 201's body, its order and ticket."""
    response = await client.post(
        f"/api/v1/shifts/{shift.id}/orders", json=order_body(*lines, **fields), headers=headers
    )
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed


async def walk(
    client: httpx.AsyncClient, ticket: dict[str, Any], headers: Headers, *targets: str
) -> int:
    """Move ``ticket`` to each of ``targets`` in turn, each move answered 200: its last
    version."""
    version: int = ticket["version"]
    for target in targets:
        response = await client.post(
            f"/api/v1/tickets/{ticket['id']}/transitions",
            json={"to": target, "version": version},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        version = response.json()["version"]
    return version


def bearer(secret: str) -> Headers:
    return {"Authorization": f"Bearer {secret}"}


def idempotency_key() -> Headers:
    """A fresh ``Idempotency-Key`` header."""
    return {"Idempotency-Key": str(uuid4())}


async def on_hand(client: httpx.AsyncClient, shift: Shift, headers: Headers) -> dict[str, int]:
    """What the shift's menu says is on hand, by item name."""
    menu = (await client.get(f"/api/v1/shifts/{shift.id}/menu", headers=headers)).json()
    return {i["name"]: i["on_hand"] for c in menu["categories"] for i in c["items"]}


def device_body(**changes: Any) -> dict[str, Any]:
    return {
        "label": "Grill screen",
        "platform": "ipados",
        "app_version": "1.4.2",
        "os_version": "17.5",
        **changes,
    }


class LogLines:
    """JSON log lines written while the test ran, through the production pipeline."""

    def __init__(self, buffer: io.StringIO) -> None:
        self._buffer = buffer

    @property
    def text(self) -> str:
        return self._buffer.getvalue()

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def of_request(self, request_id: str) -> list[dict[str, Any]]:
        return [r for r in self.records() if r.get("request_id") == request_id]


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """The root logger's handlers and level, and structlog's defaults, put back after a
    test that configures logging."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield
    structlog.reset_defaults()
    root.handlers, level = saved
    root.setLevel(level)


@pytest.fixture
def log_lines(restore_logging: None) -> LogLines:
    buffer = io.StringIO()
    configure_logging(Settings(log_format=LogFormat.JSON, log_level="DEBUG"), stream=buffer)
    return LogLines(buffer)


@pytest.fixture
def recorded(adapters: Adapters) -> RecordingPaymentGateway:
    """The refund gateway the app sends refunds to, with what it was sent."""
    assert isinstance(adapters.refunds, RecordingPaymentGateway)
    return adapters.refunds


@pytest.fixture
async def postgres_scene(postgres_database: MigratedDatabase) -> AsyncIterator[Scene]:
    """The production wiring on PostgreSQL, emptied, with the fleet of ``Scene``."""
    await postgres_database.empty()
    async with sql_backend(postgres_database.url) as adapters, scene_on(adapters) as built:
        yield built
