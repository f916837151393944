"""What one client may ask of the event stream: a few connections per credential, small
messages, and a ``last_seq`` the stream has reached."""

from __future__ import annotations

import time
from contextlib import ExitStack
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from fusionx.core.use_cases.queries.authenticate import Authenticate
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.stream_limits import LIMITS_STATE_KEY, StreamLimits
from fusionx.entrypoints.settings import Settings
from tests.events.conftest import Shop
from tests.events.sockets import bearer, closed_with, receive, silent, url
from tests.factories import ShiftWorld

LIMIT = 3


@pytest.fixture
def limits(app: Litestar) -> StreamLimits:
    limits = StreamLimits(connections_per_credential=LIMIT, max_message_bytes=512)
    app.state[LIMITS_STATE_KEY] = limits
    return limits


def test_the_default_limits_are_the_settings(adapters) -> None:
    settings = Settings(stream_connections_per_credential=7, stream_max_message_bytes=2048)
    limits = create_app(settings, adapters).state[LIMITS_STATE_KEY]
    assert (limits.connections_per_credential, limits.max_message_bytes) == (7, 2048)
    default = create_app(Settings(), adapters).state[LIMITS_STATE_KEY]
    assert (default.connections_per_credential, default.max_message_bytes) == (10, 4096)


def test_a_credential_past_its_streams_is_closed_with_4429_and_others_are_not(
    client: TestClient[Litestar], shop: Shop, world: ShiftWorld, limits: StreamLimits
) -> None:
    device, other = shop.register_device(), shop.register_device()
    where = url(world.shift.id, shop.log_length())
    for _round in range(2):  # closed streams give their places back
        with ExitStack() as open_streams:
            streams = [
                open_streams.enter_context(
                    client.websocket_connect(where, headers=bearer(device.credential))
                )
                for _ in range(LIMIT)
            ]
            assert all(silent(ws) for ws in streams)
            with client.websocket_connect(where, headers=bearer(device.credential)) as extra:
                code, reason = closed_with(extra)
            assert (code, reason) == (
                4429,
                f"This credential already has {LIMIT} open streams here; close one first",
            )
            with client.websocket_connect(where, headers=bearer(other.credential)) as theirs:
                assert silent(theirs)
            placed = shop.place_order()  # the streams admitted still stream
            for ws in streams:
                assert ws.receive_json(timeout=5)["data"]["order"]["id"] == str(placed.order.id)
        where = url(world.shift.id, shop.log_length())
        assert given_back(limits, shop.run(token_id, shop, device.credential))


async def token_id(shop: Shop, credential: str) -> UUID:
    principal = await Authenticate(shop.adapters.reader(), shop.adapters.clock).execute(credential)
    return principal.token_id


def given_back(limits: StreamLimits, token: UUID) -> bool:
    """Whether the server side of the closed streams gave their places back (it finishes
    a moment after the client's side)."""
    deadline = time.monotonic() + 2
    while limits.open_streams(token) and time.monotonic() < deadline:
        time.sleep(0.01)
    return limits.open_streams(token) == 0


def pong(pad: str) -> str:
    return f'{{"type": "pong", "pad": "{pad}"}}'


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(pong("x" * (513 - len(pong("")))), id="one byte over"),
        pytest.param(pong("x" * 1_000_000), id="a megabyte"),
        pytest.param(pong("é" * 250), id="fewer characters than bytes, over in bytes"),
    ],
)
def test_a_message_over_the_limit_is_closed_with_1009(
    client: TestClient[Litestar], shop: Shop, token: str, limits: StreamLimits, message: str
) -> None:
    where = url(shop.world.shift.id, shop.log_length())
    with client.websocket_connect(where, headers=bearer(token)) as ws:
        ws.send_text(pong("x" * (512 - len(pong("")))))  # at the limit: heard
        assert silent(ws)
        ws.send_text(message)
        code, reason = closed_with(ws)
    assert (code, reason) == (1009, "Messages to the server are at most 512 bytes")


def test_an_auth_message_over_the_limit_is_closed_with_1009(
    client: TestClient[Litestar], world: ShiftWorld, token: str, limits: StreamLimits
) -> None:
    with client.websocket_connect(url(world.shift.id)) as ws:
        ws.send_json({"type": "auth", "token": token, "pad": "x" * 600})
        assert closed_with(ws)[0] == 1009


def test_a_last_seq_beyond_the_stream_is_closed_with_4409_naming_the_head(
    client: TestClient[Litestar], shop: Shop, world: ShiftWorld, token: str
) -> None:
    head = shop.log_length()
    with client.websocket_connect(url(world.shift.id, head), headers=bearer(token)) as ws:
        assert silent(ws)  # at the head: waits for what comes next
        shop.place_order()
        assert receive(ws, 1)[0]["seq"] == head + 1
    head = shop.log_length()
    with client.websocket_connect(url(world.shift.id, head + 1), headers=bearer(token)) as ws:
        code, reason = closed_with(ws)
    assert code == 4409
    assert reason.startswith(f"last_seq {head + 1} is beyond this shift's last event ({head})")
