"""A partner's webhook receiver, over a real socket: what a delivery reaches.

It records every request as received (headers and the exact body) and answers as told:
``fail_first`` requests get a 500, then every one a 2xx, unless ``down`` (500 to
everything). It verifies nothing itself: the tests check signatures with the recipe of
``docs/webhooks.md``, as a partner would.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class WebhookReceiver:
    fail_first: int = 0
    down: bool = False
    received: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            failing = self.down or self.fail_first > 0
            if self.fail_first > 0:
                self.fail_first -= 1
            status = 500 if failing else 204
            self.received.append(Received(path, headers, body, status))
            return status

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.status < 300]


@contextmanager
def serving(receiver: WebhookReceiver) -> Iterator[str]:
    """``receiver`` on 127.0.0.1, on a free port, for the block: its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver.answer(self.path, headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:  # quiet: the test reads ``received``
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
