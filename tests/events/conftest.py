"""Shared steps for the event stream suites: producing events the way the product does,
and the app with its test client for the WebSocket suites."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from fusionx.core.model.events import MenuChanged, ShiftEvent
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlacedOrder,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.commands.register_device import RegisterDevice, RegisteredDevice
from fusionx.core.use_cases.commands.revoke_device import RevokeDevice
from fusionx.core.use_cases.commands.transition_ticket import TransitionRequest, TransitionTicket
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.controllers.events import TIMING_STATE_KEY, EventStreamTiming
from fusionx.entrypoints.settings import Settings
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.factories import PASSWORD, RegisterDeviceRequestFactory, ShiftWorld, open_shift_world

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def an_event(shift_id: UUID, seq: int) -> ShiftEvent:
    return ShiftEvent(shift_id=shift_id, seq=seq, at=T0, data=MenuChanged(what="item"))


async def place_order(
    adapters: Adapters, world: ShiftWorld, uow: UnitOfWorkFactory | None = None
) -> PlacedOrder:
    """One of the first menu item, through the use case (``uow`` to commit elsewhere)."""
    request = PlaceOrderRequest(
        shift_id=world.shift.id, lines=(OrderLineRequest(item_id=world.items[0].id, quantity=1),)
    )
    place = PlaceOrder((uow or adapters.uow)(), adapters.clock, adapters.ids)
    return await place.execute(world.principal, request)


async def move_ticket(
    adapters: Adapters, world: ShiftWorld, ticket: Ticket, target: TicketState
) -> Ticket:
    request = TransitionRequest(ticket_id=ticket.id, target=target, expected_version=ticket.version)
    return await TransitionTicket(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal, request
    )


async def logged(adapters: Adapters, shift_id: UUID) -> list[ShiftEvent]:
    """The shift's whole event log, as committed."""
    async with adapters.uow() as uow:
        return await uow.events.since(shift_id, 0, 10_000)


Run = Callable[..., Any]


@pytest.fixture
def app(adapters: Adapters) -> Litestar:
    app = create_app(Settings(), adapters)
    # No pings unless a test asks for them: they would interleave with events.
    app.state[TIMING_STATE_KEY] = EventStreamTiming(ping_interval=60, auth_timeout=0.3)
    return app


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app, timeout=5) as client:
        yield client


@pytest.fixture
def run(client: TestClient[Litestar]) -> Run:
    """Run a coroutine function in the app's event loop and return its result."""
    return client.blocking_portal.call


@pytest.fixture
def world(run: Run, adapters: Adapters) -> ShiftWorld:
    world: ShiftWorld = run(open_shift_world, adapters)
    return world


class Shop:
    """The truck at work, seen from the test thread: every step runs in the app's loop."""

    def __init__(self, run: Run, adapters: Adapters, world: ShiftWorld) -> None:
        self.run, self.adapters, self.world = run, adapters, world

    def place_order(self) -> PlacedOrder:
        placed: PlacedOrder = self.run(place_order, self.adapters, self.world)
        return placed

    def move(self, ticket: Ticket, target: TicketState) -> None:
        self.run(move_ticket, self.adapters, self.world, ticket, target)

    def log_length(self) -> int:
        return len(self.run(logged, self.adapters, self.world.shift.id))

    def register_device(self) -> RegisteredDevice:
        register = RegisterDevice(self.adapters.uow(), self.adapters.clock, self.adapters.ids)
        request = RegisterDeviceRequestFactory.build(truck_id=self.world.truck.id)
        device: RegisteredDevice = self.run(register.execute, self.world.principal, request)
        return device

    def revoke(self, device: RegisteredDevice) -> None:
        revoke = RevokeDevice(self.adapters.uow(), self.adapters.clock)
        self.run(revoke.execute, self.world.principal, device.device.id)


@pytest.fixture
def shop(run: Run, adapters: Adapters, world: ShiftWorld) -> Shop:
    return Shop(run, adapters, world)


@pytest.fixture
def token(client: TestClient[Litestar], world: ShiftWorld) -> str:
    return log_in(client, world)


def log_in(client: TestClient[Litestar], world: ShiftWorld) -> str:
    """A new session of the world's manager, through the API: its token."""
    response = client.post(
        "/api/v1/auth/login", json={"email": world.manager.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    secret: str = response.json()["token"]
    return secret
