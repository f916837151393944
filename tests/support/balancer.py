"""A load balancer for tests, in the role nginx or a Kubernetes Service plays in production.

It forwards TCP connections (HTTP and WebSocket alike) to the backends whose
``/health/ready`` answers 200, checked every ``interval`` seconds, in turn; a backend
that refuses the connection is skipped for the next one, as nginx's ``proxy_next_upstream
error`` does. Bytes are passed as they come, so a response or a close frame reaches the
client exactly as the backend sent it. It runs on its own event loop in a thread, so
blocking tests and async ones can use it alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
from collections import Counter

Backend = tuple[str, int]
_PROBE = b"GET /health/ready HTTP/1.1\r\nHost: backend\r\nConnection: close\r\n\r\n"


class Balancer:
    def __init__(self, backends: list[Backend], *, interval: float = 0.1) -> None:
        self._backends = backends
        self._interval = interval
        self._ready: set[Backend] = set(backends)
        self._turn = itertools.count()
        self.connections: Counter[Backend] = Counter()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="balancer", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Balancer:
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError("the balancer did not start")
        return self

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def ready(self) -> set[Backend]:
        return set(self._ready)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._forward, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        checks = self._loop.create_task(self._check_health())
        self._started.set()
        try:
            self._loop.run_forever()
        finally:
            checks.cancel()
            server.close()
            for task in asyncio.all_tasks(self._loop):
                task.cancel()
            self._loop.run_until_complete(asyncio.sleep(0))
            self._loop.close()

    async def _check_health(self) -> None:
        while True:
            answers = await asyncio.gather(*(_is_ready(b) for b in self._backends))
            self._ready = {b for b, ready in zip(self._backends, answers, strict=True) if ready}
            await asyncio.sleep(self._interval)

    def _in_turn(self) -> list[Backend]:
        """The ready backends, starting with the next one's turn; all if none is ready."""
        pool = [b for b in self._backends if b in self._ready] or list(self._backends)
        start = next(self._turn) % len(pool)
        return pool[start:] + pool[:start]

    async def _forward(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        for backend in self._in_turn():
            try:
                server_in, server_out = await asyncio.open_connection(*backend)
            except OSError:
                continue
            self.connections[backend] += 1
            await asyncio.gather(
                _pipe(client_in, server_out), _pipe(server_in, client_out), return_exceptions=True
            )
            return
        client_out.close()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            if sink.can_write_eof():
                sink.write_eof()
            else:
                sink.close()


async def _is_ready(backend: Backend) -> bool:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(*backend), 1)
    except (OSError, TimeoutError):
        return False
    try:
        writer.write(_PROBE)
        status = await asyncio.wait_for(reader.readline(), 2)
        return status.split(b" ")[1:2] == [b"200"]
    except (OSError, TimeoutError):
        return False
    finally:
        writer.close()
