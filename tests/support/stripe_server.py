"""A local server speaking the part of Stripe's API FusionX uses, over real sockets.

``POST /v1/payment_intents``, ``GET /v1/payment_intents/{id}``,
``POST /v1/payment_intents/{id}/cancel`` and ``POST /v1/refunds``: form-encoded bodies
(nested keys as ``metadata[order_id]``), ``Authorization: Bearer <key>``. It honours
``Idempotency-Key`` as Stripe does: a request repeating a key gets the first answer
replayed (with ``Idempotent-Replayed: true``), and one reusing a key with other
parameters is refused. Each request takes the next scripted step, if any:
``"decline"`` (402 card error), ``"invalid:<param>"`` (400 naming it), ``"unavailable"``
(500, not kept for the key, as Stripe asks to retry) or ``"slow"`` (the work is done and
kept, but the answer comes after ``slow_seconds``: the client times out first).
Written from Stripe's API reference, not from our adapter.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qs

API_KEY = "sk_test_fusionx_0123456789"


@dataclass
class FakeStripe:
    api_key: str = API_KEY
    script: deque[str] = field(default_factory=deque)
    slow_seconds: float = 1.0
    # Every request as received (path, form, idempotency key), replays included.
    received: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    _keys: dict[str, tuple[str, int, dict[str, Any]]] = field(default_factory=dict)
    _ids: count[int] = field(default_factory=lambda: count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(
        self, method: str, path: str, headers: dict[str, str], form: dict[str, str]
    ) -> tuple[int, dict[str, Any], bool]:
        """The status, the JSON body and whether it is a replay."""
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, _error("invalid_request_error", None, "Invalid API Key provided"), False
        key = headers.get("idempotency-key", "")
        fingerprint = json.dumps([method, path, form], sort_keys=True)
        with self._lock:
            self.received.append((path, form, key))
            if key in self._keys:
                first, status, body = self._keys[key]
                if first != fingerprint:
                    message = (
                        "Keys for idempotent requests can only be used with the same parameters"
                    )
                    return 400, _error("idempotency_error", None, message), False
                return status, body, True
            step = self.script.popleft() if self.script else "ok"
            if step == "unavailable":
                return 500, _error("api_error", None, "An error occurred with our API"), False
            status, body = self._act(step, method, path, form)
            if key and method == "POST":
                self._keys[key] = (fingerprint, status, body)
        if step == "slow":
            time.sleep(self.slow_seconds)
        return status, body, False

    def _act(  # noqa: PLR0911 - one answer per route of the API
        self, step: str, method: str, path: str, form: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        if step == "decline":
            body = _error("card_error", None, "Your card was declined.", code="card_declined")
            return 402, body
        if step.startswith("invalid:"):
            param = step.partition(":")[2]
            return 400, _error(
                "invalid_request_error", param, f"Invalid {param}", "parameter_invalid"
            )
        parts = path.strip("/").split("/")
        if method == "POST" and parts == ["v1", "payment_intents"]:
            return self._create_intent(form)
        if method == "GET" and parts[:2] == ["v1", "payment_intents"] and len(parts) == 3:
            return self._found(self.intents, parts[2])
        if method == "POST" and parts[:2] == ["v1", "payment_intents"] and parts[3:] == ["cancel"]:
            status, intent = self._found(self.intents, parts[2])
            if status == 200:
                intent["status"] = "canceled"
            return status, intent
        if method == "POST" and parts == ["v1", "refunds"]:
            return self._refund(form)
        return 404, _error("invalid_request_error", None, f"Unrecognized request URL ({path})")

    def _create_intent(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        for required in ("amount", "currency"):
            if required not in form:
                return 400, _error(
                    "invalid_request_error",
                    required,
                    f"Missing required param: {required}.",
                    "parameter_missing",
                )
        intent_id = f"pi_{next(self._ids):08d}"
        self.intents[intent_id] = {
            "id": intent_id, "object": "payment_intent", "amount": int(form["amount"]),
            "currency": form["currency"], "status": "requires_payment_method",
            "client_secret": f"{intent_id}_secret_x", "metadata": _nested(form, "metadata"),
        }  # fmt: skip
        return 200, self.intents[intent_id]

    def _refund(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        intent = self.intents.get(form.get("payment_intent", ""))
        if intent is None:
            param = "payment_intent"
            return 400, _error(
                "invalid_request_error", param, "No such payment_intent", "resource_missing"
            )
        amount = int(form.get("amount", intent["amount"]))
        given = sum(
            r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent["id"]
        )
        if amount > intent["amount"] - given:
            return 400, _error(
                "invalid_request_error",
                "amount",
                "Refund amount is greater than unrefunded amount on charge",
                "amount_too_large",
            )
        refund_id = f"re_{next(self._ids):08d}"
        self.refunds[refund_id] = {
            "id": refund_id, "object": "refund", "amount": amount, "status": "succeeded",
            "payment_intent": intent["id"], "metadata": _nested(form, "metadata"),
        }  # fmt: skip
        return 200, self.refunds[refund_id]

    @staticmethod
    def _found(store: dict[str, dict[str, Any]], object_id: str) -> tuple[int, dict[str, Any]]:
        if object_id not in store:
            return 404, _error(
                "invalid_request_error", "id", f"No such object: '{object_id}'", "resource_missing"
            )
        return 200, store[object_id]

    def succeed(self, intent_id: str) -> None:
        """The customer paid: what Stripe does once the browser confirms the intent."""
        self.intents[intent_id]["status"] = "succeeded"


def _error(kind: str, param: str | None, message: str, code: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"type": kind, "message": message}
    if param is not None:
        error["param"] = param
    if code is not None:
        error["code"] = code
    return {"error": error}


def _nested(form: dict[str, str], name: str) -> dict[str, str]:
    prefix = f"{name}["
    return {
        k[len(prefix) : -1]: v for k, v in form.items() if k.startswith(prefix) and k.endswith("]")
    }


def stripe_signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Stripe-Signature`` header value Stripe sends with a webhook."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class StripeServer:
    """Runs a ``FakeStripe`` on a free port of 127.0.0.1, in a thread."""

    def __init__(self, fake: FakeStripe) -> None:
        def handler(*args: Any) -> BaseHTTPRequestHandler:
            return _Handler(fake, *args)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> StripeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    def __init__(self, fake: FakeStripe, *args: Any) -> None:
        self._fake = fake
        super().__init__(*args)

    def do_GET(self) -> None:
        self._serve("GET", {})

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length).decode()
        kind = self.headers.get("content-type", "").split(";")[0]
        if body and kind != "application/x-www-form-urlencoded":
            self._reply(
                400, _error("invalid_request_error", None, "Unsupported content type"), False
            )
            return
        self._serve("POST", {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()})

    def _serve(self, method: str, form: dict[str, str]) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self._reply(*self._fake.answer(method, self.path, headers, form))

    def _reply(self, status: int, answer: dict[str, Any], replayed: bool) -> None:
        content = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(content)))
            if replayed:
                self.send_header("idempotent-replayed", "true")
            self.end_headers()
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a "slow" step): the work is kept anyway

    def log_message(self, *args: Any) -> None:
        """Quiet: the tests look at what the server received, not at its log."""
