"""The shift event WebSocket through Litestar's test client, over in-memory adapters.

The app runs in the client's portal thread; everything that touches the adapters
(setting up, placing orders) runs there too, through ``run``, so the hub and the
stream share one event loop as they do under granian (fixtures: ``conftest``).
"""

from __future__ import annotations

import time
from uuid import uuid4

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.trucks import Truck
from fusionx.core.use_cases.commands.register_device import RegisteredDevice
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.controllers.events import TIMING_STATE_KEY, EventStreamTiming
from tests.events.conftest import Run, Shop
from tests.events.sockets import (
    bearer,
    closed_with,
    pings_until_closed,
    receive,
    released,
    silent,
    url,
)
from tests.factories import PASSWORD, ShiftWorld, make_staff, make_truck


def test_a_kitchen_screen_gets_the_shift_so_far_then_each_change_live_in_order(
    client: TestClient[Litestar], shop: Shop, adapters: Adapters, world: ShiftWorld, token: str
) -> None:
    so_far = shop.log_length()
    with client.websocket_connect(url(world.shift.id), headers=bearer(token)) as ws:
        replayed = receive(ws, so_far)
        assert [m["seq"] for m in replayed] == list(range(1, so_far + 1))
        assert replayed[0]["type"] == "shift.opened"

        placed = shop.place_order()
        shop.move(placed.ticket, TicketState.IN_PREP)
        total = shop.log_length()
        live = receive(ws, total - so_far)
        assert silent(ws)

    assert [m["seq"] for m in live] == list(range(so_far + 1, total + 1))
    assert live[0]["type"] == "order.created"
    assert live[0]["data"]["ticket"]["id"] == str(placed.ticket.id)
    assert live[-1]["type"] == "ticket.state_changed"
    assert set(live[0]) == {"shift_id", "seq", "type", "at", "data"}
    assert live[0]["shift_id"] == str(world.shift.id)
    assert live[0]["at"] == "2026-01-05T12:00:00Z"  # RFC 3339, UTC
    assert released(adapters, world.shift.id)


def test_a_browser_authenticates_with_its_first_message(
    client: TestClient[Litestar], shop: Shop, adapters: Adapters, world: ShiftWorld, token: str
) -> None:
    so_far = shop.log_length()
    with client.websocket_connect(url(world.shift.id, last_seq=1)) as ws:
        ws.send_json({"type": "auth", "token": token})
        assert [m["seq"] for m in receive(ws, so_far - 1)] == list(range(2, so_far + 1))


def test_a_device_of_the_truck_may_follow_its_shift(
    client: TestClient[Litestar], shop: Shop, world: ShiftWorld
) -> None:
    device = shop.register_device()
    with client.websocket_connect(url(world.shift.id), headers=bearer(device.credential)) as ws:
        assert receive(ws, 1)[0]["seq"] == 1


def test_a_reconnecting_client_gets_each_missed_event_exactly_once(
    client: TestClient[Litestar], shop: Shop, adapters: Adapters, world: ShiftWorld, token: str
) -> None:
    with client.websocket_connect(url(world.shift.id), headers=bearer(token)) as ws:
        held = receive(ws, 3)[-1]["seq"]
    assert released(adapters, world.shift.id)

    placed = shop.place_order()  # while the tablet is away
    shop.move(placed.ticket, TicketState.IN_PREP)
    total = shop.log_length()

    with client.websocket_connect(url(world.shift.id, last_seq=held), headers=bearer(token)) as ws:
        missed = receive(ws, total - held)
        assert silent(ws)
    assert [m["seq"] for m in missed] == list(range(held + 1, total + 1))


@pytest.mark.parametrize(
    "headers",
    [bearer("fxs_not-a-real-token"), {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["unknown token", "not bearer"],
)
def test_a_bad_credential_is_closed_with_4401(
    client: TestClient[Litestar], world: ShiftWorld, headers: dict[str, str]
) -> None:
    with client.websocket_connect(url(world.shift.id), headers=headers) as ws:
        code, reason = closed_with(ws)
    assert code == 4401
    assert reason


@pytest.mark.parametrize(
    "first", [{"type": "pong"}, {"type": "auth"}, "not json"], ids=["pong", "no token", "junk"]
)
def test_a_first_message_that_is_not_auth_is_closed_with_4401(
    client: TestClient[Litestar], world: ShiftWorld, first: object
) -> None:
    with client.websocket_connect(url(world.shift.id)) as ws:
        if isinstance(first, str):
            ws.send_text(first)
        else:
            ws.send_json(first)
        assert closed_with(ws)[0] == 4401


def test_no_auth_message_in_time_is_closed_with_4401(
    client: TestClient[Litestar], world: ShiftWorld
) -> None:
    with client.websocket_connect(url(world.shift.id)) as ws:
        code, reason = closed_with(ws)
    assert (code, reason) == (4401, "No auth message in time")


@pytest.mark.parametrize("last_seq", ["abc", "-1", "1.5", ""])
def test_a_bad_last_seq_is_closed_with_4400(
    client: TestClient[Litestar], world: ShiftWorld, token: str, last_seq: str
) -> None:
    with client.websocket_connect(url(world.shift.id, last_seq), headers=bearer(token)) as ws:
        assert closed_with(ws)[0] == 4400


def test_a_shift_of_another_truck_or_none_at_all_is_closed_with_4404(
    client: TestClient[Litestar], run: Run, adapters: Adapters, world: ShiftWorld
) -> None:
    other = run(make_truck, adapters, "Other Truck")
    outsider = run(lambda: make_staff(adapters, role=Role.MANAGER, trucks=[other]))
    login = client.post("/api/v1/auth/login", json={"email": outsider.email, "password": PASSWORD})
    headers = bearer(login.json()["token"])

    for shift_id in (world.shift.id, uuid4()):
        with client.websocket_connect(url(shift_id), headers=headers) as ws:
            assert closed_with(ws)[0] == 4404
    assert released(adapters, world.shift.id)


def test_the_server_pings_and_a_client_that_answers_stays(
    app: Litestar, client: TestClient[Litestar], shop: Shop, world: ShiftWorld, token: str
) -> None:
    app.state[TIMING_STATE_KEY] = EventStreamTiming(ping_interval=0.15)
    so_far = shop.log_length()
    with client.websocket_connect(url(world.shift.id, so_far), headers=bearer(token)) as ws:
        for _ in range(4):  # twice the idle limit
            assert ws.receive_json(timeout=5) == {"type": "ping"}
            ws.send_json({"type": "pong"})
        placed = shop.place_order()
        received = ws.receive_json(timeout=5)
        while received == {"type": "ping"}:
            received = ws.receive_json(timeout=5)
        assert received["data"]["order"]["id"] == str(placed.order.id)


def test_no_stream_pings_in_the_first_half_of_its_interval(
    app: Litestar, client: TestClient[Litestar], shop: Shop, world: ShiftWorld, token: str
) -> None:
    """The phases are spread, but never so early that a ping interleaves with what a
    client that has just connected is waiting for."""
    app.state[TIMING_STATE_KEY] = EventStreamTiming(ping_interval=1.0)
    so_far = shop.log_length()
    for _ in range(25):  # phases over the whole interval: one in five would ping
        with client.websocket_connect(url(world.shift.id, so_far), headers=bearer(token)) as ws:
            assert silent(ws)


def test_a_silent_client_is_closed_with_4408_after_two_intervals(
    app: Litestar, client: TestClient[Litestar], shop: Shop, world: ShiftWorld, token: str
) -> None:
    app.state[TIMING_STATE_KEY] = EventStreamTiming(ping_interval=0.1)
    so_far = shop.log_length()
    # Timed from before the handshake: the server's clock starts within it, so however
    # long the handshake takes on a loaded machine, two intervals pass before the close.
    connecting = time.monotonic()
    with client.websocket_connect(url(world.shift.id, so_far), headers=bearer(token)) as ws:
        # One ping or two, by the connection's phase, then the close.
        assert ws.receive_json(timeout=5) == {"type": "ping"}
        code = pings_until_closed(ws)
        assert code == 4408
        assert time.monotonic() - connecting >= 0.19  # two intervals, less a timer's slack


def test_a_reassigned_device_is_closed_at_the_next_ping(
    app: Litestar, client: TestClient[Litestar], shop: Shop, adapters: Adapters, world: ShiftWorld
) -> None:
    """What no revocation announces (a change of truck scope) still ends at the next ping."""
    app.state[TIMING_STATE_KEY] = EventStreamTiming(ping_interval=0.1)
    device = shop.register_device()
    so_far = shop.log_length()
    headers = bearer(device.credential)
    with client.websocket_connect(url(world.shift.id, so_far), headers=headers) as ws:
        assert ws.receive_json(timeout=5) == {"type": "ping"}
        ws.send_json({"type": "pong"})
        shop.run(move_device, adapters, device, shop.run(make_truck, adapters, "Elsewhere"))
        assert pings_until_closed(ws) == 4404
    assert released(adapters, world.shift.id)


async def move_device(adapters: Adapters, device: RegisteredDevice, truck: Truck) -> None:
    async with adapters.uow() as uow:
        await uow.devices.update(msgspec.structs.replace(device.device, truck_id=truck.id))
        await uow.commit()
