"""Following a shift's event stream over WebSocket, as TruckKDS does: resume after the
last number held, answer the server's pings, reconnect when the connection drops."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from fusionx.simulator.errors import SimulationError
from fusionx.simulator.messages import StreamEvent, decode_message

_PONG = msgspec.json.encode({"type": "pong"}).decode()
_MAX_FAILED_CONNECTS = 5
# The server's close codes for refusals that reconnecting cannot cure (4000 + HTTP status).
_FINAL_CLOSE_CODES = {
    4400: "bad last_seq",
    4401: "credential refused",
    4404: "shift not found",
    4409: "last_seq beyond the stream",
}


class EventStream:
    """Delivers every event of one shift to ``deliver``, across reconnects.

    Each connection asks for the events after ``resume_from()`` (the highest number
    the caller holds), so a drop loses nothing if the server keeps its promise.
    ``drop()`` closes the connection on purpose, to prove exactly that.
    """

    def __init__(
        self,
        *,
        base_url: str,
        shift_id: str,
        token: str,
        resume_from: Callable[[], int],
        deliver: Callable[[StreamEvent], None],
    ) -> None:
        self._url = "ws" + base_url.removeprefix("http") + f"/api/v1/shifts/{shift_id}/events"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._resume_from = resume_from
        self._deliver = deliver
        self._ws: ClientConnection | None = None
        self._stopping = False
        self._dropping = False
        self.connected = asyncio.Event()
        self.connections = 0
        self.resumed_at: list[int] = []  # the last_seq asked for by each reconnection
        self.planned_drops = 0
        self.unplanned_drops = 0
        self.pings = 0
        self.other_messages: list[dict[str, object]] = []

    async def follow(self) -> None:
        """Run until ``stop()``; raises SimulationError if the server will not serve it."""
        failures = 0
        while not self._stopping:
            last_seq = self._resume_from()
            try:
                async with connect(
                    f"{self._url}?last_seq={last_seq}", additional_headers=self._headers, proxy=None
                ) as ws:
                    await self._serve(ws, last_seq)
            except (OSError, InvalidHandshake, TimeoutError) as error:
                if not self.connections:
                    raise SimulationError(f"cannot follow the event stream: {error}") from error
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
                if code in _FINAL_CLOSE_CODES:
                    reason = closed.rcvd.reason if closed.rcvd else ""
                    raise SimulationError(
                        f"the event stream was refused: {code} {_FINAL_CLOSE_CODES[code]} {reason}"
                    ) from closed
            finally:
                self._ws = None
            # Reconnections that deliver nothing in a row mean the server cannot serve us.
            failures = 0 if self._resume_from() > last_seq or self._dropping else failures + 1
            if failures >= _MAX_FAILED_CONNECTS:
                raise SimulationError(f"the event stream failed {failures} times in a row")
            if self._stopping:
                return
            if self._dropping:
                self._dropping = False
            else:
                self.unplanned_drops += 1
                await asyncio.sleep(min(0.2 * 2**failures, 3.0))

    async def _serve(self, ws: ClientConnection, last_seq: int) -> None:
        self._ws = ws
        if self.connections:
            self.resumed_at.append(last_seq)
        self.connections += 1
        self.connected.set()
        async for raw in ws:
            try:
                message = decode_message(raw)
            except msgspec.MsgspecError as error:
                raise SimulationError(
                    f"the event stream sent a malformed message: {error}"
                ) from error
            if isinstance(message, StreamEvent):
                self._deliver(message)
            elif message.get("type") == "ping":
                self.pings += 1
                await ws.send(_PONG)
            else:
                self.other_messages.append(message)

    async def drop(self) -> None:
        """Close the connection as a flaky network would; ``follow`` reconnects."""
        if self._ws is not None:
            self._dropping = True
            self.planned_drops += 1
            await self._ws.close()

    async def stop(self) -> None:
        self._stopping = True
        if self._ws is not None:
            await self._ws.close()
