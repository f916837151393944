"""A local server speaking Twilio's Messages API, for the SMS adapter's tests.

``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded, HTTP Basic auth
with the account SID and auth token. It checks what Twilio checks (credentials, a
``To``, a ``From`` or ``MessagingServiceSid``, a ``Body``) and answers as Twilio does:
201 with the message resource, or an error body with Twilio's ``code``. Each request
takes the next scripted ``(status, code)``; with none left, it accepts.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

MESSAGES = {
    20003: "Authenticate",
    20429: "Too Many Requests",
    21211: "Invalid 'To' Phone Number",
    21606: "The 'From' phone number provided is not a valid message-capable Twilio number",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
}


@dataclass
class FakeTwilio:
    account_sid: str
    auth_token: str
    script: deque[tuple[int, int | None]] = field(default_factory=deque)
    received: list[dict[str, str]] = field(default_factory=list)

    def answer(self, path: str, authorization: str, form: dict[str, str]) -> tuple[int, Any]:
        refused = self._refusal(path, authorization, form)
        if refused is not None:
            return refused[0], {"code": refused[1], "message": refused[2], "status": refused[0]}
        self.received.append(form)
        status, code = self.script.popleft() if self.script else (201, None)
        if code is not None:
            return status, {"code": code, "message": MESSAGES.get(code, "error"), "status": status}
        if status != 201:
            return status, {"message": "Internal Server Error", "status": status}
        sid = f"SM{len(self.received):032x}"
        return 201, {"sid": sid, "status": "queued", "to": form["To"], "body": form["Body"]}

    def _refusal(
        self, path: str, authorization: str, form: dict[str, str]
    ) -> tuple[int, int, str] | None:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        checks = [
            (path == f"/2010-04-01/Accounts/{self.account_sid}/Messages.json",
             (404, 20404, "The requested resource was not found")),
            (authorization == f"Basic {expected}", (401, 20003, MESSAGES[20003])),
            (bool(form.get("To")), (400, 21604, "A 'To' phone number is required.")),
            (bool(form.get("Body")), (400, 21602, "Message body is required.")),
            (bool(form.get("From") or form.get("MessagingServiceSid")),
             (400, 21603, "A 'From' phone number is required.")),
        ]  # fmt: skip
        return next((refusal for ok, refusal in checks if not ok), None)


class SmsServer:
    """Runs a ``FakeTwilio`` on a free port of 127.0.0.1, in a thread."""

    def __init__(self, fake: FakeTwilio) -> None:
        def handler(*args: Any) -> BaseHTTPRequestHandler:
            return _Handler(fake, *args)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> SmsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    def __init__(self, fake: FakeTwilio, *args: Any) -> None:
        self._fake = fake
        super().__init__(*args)

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length).decode()
        form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
        if (
            self.headers.get("content-type", "").split(";")[0]
            != "application/x-www-form-urlencoded"
        ):
            status, answer = 400, {"code": 20001, "message": "Unsupported content type"}
        else:
            status, answer = self._fake.answer(
                self.path, self.headers.get("authorization", ""), form
            )
        content = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, *args: Any) -> None:
        """Quiet: the tests look at what the server received, not at its log."""
