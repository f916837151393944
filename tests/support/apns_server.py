"""A local server that behaves like Apple's APNs provider API, for the adapter's tests.

HTTP/2 over TLS (the ``h2`` library on an asyncio TLS server), checking what Apple
checks: the ES256 provider token's signature, ``kid``, issuer and age, and the request's
path and ``apns-*`` headers. Each request takes the next scripted answer (200 when none
is left): a status and reason, or ``GOAWAY``, which sends a GOAWAY frame that leaves
the request unprocessed and closes the connection, or ``DROP``, which just closes it.
"""

from __future__ import annotations

import asyncio
import json
import re
import ssl
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey

GOAWAY = "GOAWAY"
DROP = "DROP"
# The token's age is checked against ``now``, the test's clock, not PyJWT's.
_OWN_IAT = {"verify_iat": False}
_PATH = re.compile(r"^/3/device/[0-9a-f]{64,200}$")


@dataclass(frozen=True)
class Answer:
    status: int = 200
    reason: str | None = None
    timestamp_ms: int | None = None
    retry_after: int | None = None


@dataclass
class ApnsRequest:
    connection: int
    headers: dict[str, str]
    payload: dict[str, Any]
    claims: dict[str, Any]
    token: str


@dataclass
class FakeApns:
    public_key: EllipticCurvePublicKey
    key_id: str
    team_id: str
    topic: str
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    script: deque[Answer | str] = field(default_factory=deque)
    requests: list[ApnsRequest] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    connections: int = 0
    # While set, requests are read and left unanswered (``held``): a sender stuck mid-send.
    hang: bool = False
    held: list[dict[str, Any]] = field(default_factory=list)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        connection = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        connection.initiate_connection()
        writer.write(connection.data_to_send())
        streams: dict[int, tuple[dict[str, str], bytearray]] = {}
        try:
            while data := await reader.read(65536):
                for event in connection.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        streams[event.stream_id] = (dict(event.headers), bytearray())
                    elif isinstance(event, h2.events.DataReceived):
                        streams[event.stream_id][1].extend(event.data)
                        connection.acknowledge_received_data(
                            event.flow_controlled_length, event.stream_id
                        )
                    elif isinstance(event, h2.events.StreamEnded):
                        headers, body = streams.pop(event.stream_id)
                        if not self._answer(connection, number, event.stream_id, headers, body):
                            writer.write(connection.data_to_send())
                            await writer.drain()
                            writer.close()
                            return
                writer.write(connection.data_to_send())
                await writer.drain()
        except (ConnectionError, h2.exceptions.ProtocolError):
            pass
        finally:
            writer.close()

    def _answer(
        self,
        connection: h2.connection.H2Connection,
        number: int,
        stream_id: int,
        headers: dict[str, str],
        body: bytes,
    ) -> bool:
        """Respond on the stream; False when the connection is to go away."""
        if self.hang:
            self.held.append(json.loads(body))
            return True
        answer = self.script.popleft() if self.script else Answer()
        if answer == GOAWAY:
            # Tells the client that this stream, and any after it, was never processed.
            connection.close_connection(last_stream_id=max(stream_id - 2, 0))
            return False
        if answer == DROP:
            return False
        assert isinstance(answer, Answer)
        problem = self._check(headers)
        token = headers.get("authorization", "").removeprefix("bearer ")
        if problem is not None:
            self.refused.append(problem)
            answer = Answer(403 if "Token" in problem else 400, problem)
        else:
            self.requests.append(
                ApnsRequest(
                    connection=number,
                    headers=headers,
                    payload=json.loads(body),
                    claims=jwt.decode(
                        token, self.public_key, algorithms=["ES256"], options=_OWN_IAT
                    ),
                    token=token,
                )
            )
        response = [(":status", str(answer.status)), ("apns-id", str(uuid.uuid4()).upper())]
        if answer.retry_after is not None:
            response.append(("retry-after", str(answer.retry_after)))
        if answer.reason is None:
            connection.send_headers(stream_id, response, end_stream=True)
            return True
        reason: dict[str, Any] = {"reason": answer.reason}
        if answer.timestamp_ms is not None:
            reason["timestamp"] = answer.timestamp_ms
        content = json.dumps(reason).encode()
        connection.send_headers(stream_id, [*response, ("content-type", "application/json")])
        connection.send_data(stream_id, content, end_stream=True)
        return True

    def _check(self, headers: dict[str, str]) -> str | None:
        """Apple's reason for refusing the request, or None."""
        if headers.get(":method") != "POST" or not _PATH.match(headers.get(":path", "")):
            return "BadPath"
        problem = self._check_token(headers.get("authorization", ""))
        checks = [
            (headers.get("apns-topic") == self.topic, "TopicDisallowed"),
            (headers.get("apns-push-type") in ("alert", "background"), "InvalidPushType"),
            (headers.get("apns-priority") in ("5", "10"), "BadPriority"),
            (headers.get("apns-expiration", "").isdigit(), "BadExpirationDate"),
            (len(headers.get("apns-collapse-id", "").encode()) <= 64, "BadCollapseId"),
        ]
        return problem or next((reason for ok, reason in checks if not ok), None)

    def _check_token(self, authorization: str) -> str | None:
        scheme, _, token = authorization.partition(" ")
        if scheme != "bearer" or not token:
            return "MissingProviderToken"
        try:
            header = jwt.get_unverified_header(token)
            claims = self._claims(token)
        except jwt.PyJWTError:
            return "InvalidProviderToken"
        age = self.now().timestamp() - claims.get("iat", 0)
        if header.get("kid") != self.key_id or claims.get("iss") != self.team_id or age < -60:
            return "InvalidProviderToken"
        return "ExpiredProviderToken" if age > 3600 else None

    def _claims(self, token: str) -> dict[str, Any]:
        claims: dict[str, Any] = jwt.decode(
            token, self.public_key, algorithms=["ES256"], options=_OWN_IAT
        )
        return claims


class ApnsThread:
    """A ``FakeApns`` on a free port of 127.0.0.1, served from its own thread and event
    loop: for a service under test that runs in another process."""

    def __init__(self, fake: FakeApns, context: ssl.SSLContext) -> None:
        self._fake = fake
        self._context = context
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.url = ""

    def __enter__(self) -> ApnsThread:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._fake.serve, "127.0.0.1", 0, ssl=self._context), self._loop
        )
        self._server = started.result(timeout=10)
        self.url = f"https://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            self._server.close()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
