"""Talking to the event stream through Litestar's test client."""

from __future__ import annotations

import queue
import time
from typing import Any
from uuid import UUID

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing.websocket_test_session import WebSocketTestSession

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.entrypoints.bootstrap import Adapters


def url(shift_id: UUID, last_seq: int | str | None = None) -> str:
    query = "" if last_seq is None else f"?last_seq={last_seq}"
    return f"/api/v1/shifts/{shift_id}/events{query}"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def receive(ws: WebSocketTestSession, count: int) -> list[dict[str, Any]]:
    return [ws.receive_json(timeout=5) for _ in range(count)]


def silent(ws: WebSocketTestSession) -> bool:
    try:
        message = ws.receive(timeout=0.2)
    except queue.Empty:
        return True
    pytest.fail(f"unexpected message: {message}")


def closed_with(ws: WebSocketTestSession) -> tuple[int, str]:
    with pytest.raises(WebSocketDisconnect) as closed:
        ws.receive_json(timeout=5)
    return closed.value.code, closed.value.detail


def pings_until_closed(ws: WebSocketTestSession) -> int:
    """Read pings (and nothing else) until the server closes; its close code."""
    while True:
        try:
            message = ws.receive_json(timeout=5)
        except WebSocketDisconnect as closed:
            return closed.code
        assert message == {"type": "ping"}


def released(adapters: Adapters, shift_id: UUID) -> bool:
    hub = adapters.bus
    assert isinstance(hub, InProcessEventHub)
    deadline = time.monotonic() + 2
    while hub.subscriber_count(shift_id) and time.monotonic() < deadline:
        time.sleep(0.01)
    return hub.subscriber_count(shift_id) == 0
