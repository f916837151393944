"""Offline-safe retries: ``Idempotency-Key`` on unsafe requests, as a Litestar middleware.

A truck on a bad connection sends the same request again when no answer came. With the
same ``Idempotency-Key`` (1 to 255 printable ASCII characters, a UUID is best), the
first response the caller got for that key is stored and replayed for 24 hours, so the
order, move or adjustment takes effect once however often it is sent:

- keys belong to a caller (the staff member or device behind the credential): two
  callers never see each other's;
- the same key with a different method, path or body is 422 ``idempotency-key-reused``;
- a retry arriving while the first request still runs is 409 ``idempotency-in-flight``
  with ``Retry-After``;
- server errors (5xx) are not stored: the retry runs afresh. Neither are requests
  without a valid credential, which the handler refuses as usual;
- a public route may take keys from anonymous callers (``opt=ANONYMOUS_KEYS``: a
  customer's checkout, which requires one). There the key belongs to the route (its
  path, the truck's id in it) and the key itself: at least 16 characters (a fresh UUID),
  so that another customer cannot hit on it, and a replay needs the very same body
  too: the same key with another body is 422 as for any caller.

Replays carry ``Idempotent-Replayed: true``. A route that issues a credential never has
it kept: its retries get 409 ``credential-issued`` instead (``credential_routes``).

What the request writes and the answer stored for its key commit in one transaction
(``IdempotencyStore.guard``), and the answer leaves for the client only once both are
kept. So whatever fails at whatever instant (the database connection, the worker), a
retry finds either the stored answer, or the key free and nothing done. A claim whose
request has not answered within ``LEASE`` (its worker died) may be taken over by a
retry; the request that lost it can no longer commit anything, and answers 409.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, assert_never

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.exceptions import ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.openapi.spec import Operation, Parameter, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from fusionx.adapters.observability.metrics import metrics
from fusionx.core import messages
from fusionx.core.errors import AuthenticationRequired, PermissionDenied
from fusionx.core.model.principals import DevicePrincipal, OperatorPrincipal, StaffPrincipal
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.auth import bearer_secret, remember_principal
from fusionx.entrypoints.http.credential_routes import fingerprinted_body, keepable
from fusionx.entrypoints.http.dependencies import use_adapters
from fusionx.entrypoints.http.openapi import problem_descriptions
from fusionx.ports.errors import StorageUnavailable
from fusionx.ports.idempotency import IdempotencyClaim, IdempotencyStore, StoredResponse

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
TTL = timedelta(hours=24)
# How long a first request may run before a retry may take its place (its worker died).
LEASE = timedelta(seconds=60)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
_KEY = re.compile(KEY_PATTERN)
# An anonymous caller's key is all that tells its requests from another's: long enough
# not to be guessed.
PUBLIC_KEY_PATTERN = r"^[\x21-\x7e]{16,255}$"
_PUBLIC_KEY = re.compile(PUBLIC_KEY_PATTERN)
_OPT_KEY = "fusionx.idempotency"
# The ``opt`` of a public route whose anonymous callers' keys are honoured.
ANONYMOUS_KEYS: dict[str, Any] = {_OPT_KEY: "anonymous"}
# The ``opt`` of a POST that only reads (GraphQL): a retry changes nothing, so a key has
# nothing to protect; it is neither documented nor kept (keeping it would be a write).
READS_ONLY: dict[str, Any] = {_OPT_KEY: "reads"}


class IdempotencyRefused(Exception):
    """A request its ``Idempotency-Key`` cannot stand for; ``detail`` says why."""

    def __init__(self, detail: messages.Message) -> None:
        super().__init__(str(detail))
        self.detail = detail


class IdempotencyKeyReused(IdempotencyRefused):
    """The key was first used for another request: it must not stand for this one."""


class IdempotencyInFlight(IdempotencyRefused):
    """The first request with this key has not answered yet."""


def idempotency_middleware(adapters: Adapters, max_body_bytes: int) -> Any:
    """The middleware factory Litestar calls with the next app."""

    def build(app: ASGIApp) -> ASGIApp:
        return IdempotencyMiddleware(app, adapters, max_body_bytes)

    return build


class IdempotencyMiddleware:
    """Reads the body itself (to compare retries), so it enforces the body limit too."""

    def __init__(self, app: ASGIApp, adapters: Adapters, max_body_bytes: int) -> None:
        self._app = app
        self._adapters = adapters
        self._max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        if scope["method"] not in UNSAFE_METHODS or _reads_only(scope.get("route_handler")):
            await self._app(scope, receive, send)
            return
        key = _header(scope, HEADER.lower())
        if key is None:
            await self._app(scope, receive, send)
            return
        # Authentication comes first: without a credential the key is never looked at,
        # but on a route that takes anonymous callers' keys.
        principal = await self._principal(scope)
        if principal is None:
            if not takes_anonymous_keys(scope):
                await self._app(scope, receive, send)  # the handler answers 401
                return
            if not _PUBLIC_KEY.fullmatch(key):
                message = messages.Message("idempotency.public_key_format")
                raise ValidationException(extra=[{"key": HEADER, "message": message}])
            caller = _route_caller(scope["path"])
        else:
            if not _KEY.fullmatch(key):
                message = messages.Message("idempotency.key_format")
                raise ValidationException(extra=[{"key": HEADER, "message": message}])
            remember_principal(scope, principal)
            caller = _caller(principal)
        body = await _read_body(receive, self._max_body_bytes)
        await self._once(scope, receive, send, caller=caller, key=key, body=body)

    async def _once(
        self, scope: HTTPScope, receive: Receive, send: Send, *, caller: str, key: str, body: bytes
    ) -> None:
        store, now = self._adapters.idempotency, self._adapters.clock.now()
        query = scope.get("query_string", b"").decode("latin-1")
        fingerprint = request_fingerprint(
            scope["method"], scope["path"], query, fingerprinted_body(scope, body)
        )
        taken = await store.begin(caller, key, fingerprint, now, ttl=TTL, lease=LEASE)
        if isinstance(taken, IdempotencyClaim):
            await self._run(scope, _replaying(body, receive), send, taken)
            return
        outcomes = metrics().idempotency
        if taken.fingerprint != fingerprint:
            outcomes.labels("key_reused").inc()
            raise IdempotencyKeyReused(
                messages.Message("idempotency.key_reused", {"header": HEADER})
            )
        if taken.response is None:
            outcomes.labels("in_flight").inc()
            raise IdempotencyInFlight(messages.Message("idempotency.in_flight", {"header": HEADER}))
        outcomes.labels("replayed").inc()
        await _replay(taken.response, send)

    async def _run(
        self, scope: HTTPScope, receive: Receive, send: Send, claim: IdempotencyClaim
    ) -> None:
        """Run the request in its guarded transaction; answer once it is kept."""
        store, held, settled = self._adapters.idempotency, _HeldResponse(), False
        try:
            async with store.guard(claim) as work:
                # The handler's units of work are the guarded transaction's.
                use_adapters(
                    scope, replace(self._adapters, uow=work.unit_of_work, reader=work.reader)
                )
                await self._app(scope, receive, held.send)
                response = held.response()
                if response is not None and response.status < 500:
                    settled = await work.settle(keepable(scope, response))  # no credential
                    if not settled:  # it outlived its lease: a retry runs in its place
                        raise IdempotencyInFlight(
                            messages.Message("idempotency.taken_over", {"header": HEADER})
                        )
        except Exception:
            # Whatever the handler answered was held back, never sent: the app's exception
            # handlers may answer instead.
            ScopeState.from_scope(scope).response_started = False
            raise
        finally:
            if not settled:
                await _release(store, claim)
        # Only now, the answer and what it says happened being kept, does it leave.
        await held.deliver(send)

    async def _principal(self, scope: Scope) -> OperatorPrincipal | None:
        secret = bearer_secret(_header(scope, "authorization"))
        if secret is None:
            return None
        try:
            return await use_cases.authenticate(self._adapters).execute(secret)
        except (AuthenticationRequired, PermissionDenied):
            # No credential of the fleet's (a customer's is refused by the handler too).
            return None


class _HeldResponse:
    """Keeps the response back from the client until it may be sent (``deliver``)."""

    def __init__(self) -> None:
        self._messages: list[Message] = []
        self._status: int | None = None
        self._headers: tuple[tuple[str, str], ...] = ()
        self._body = bytearray()

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._status = message["status"]
            self._headers = tuple(
                (name.decode("latin-1"), value.decode("latin-1"))
                for name, value in message.get("headers", ())
            )
        elif message["type"] == "http.response.body":
            self._body += message.get("body", b"")
        self._messages.append(message)

    def response(self) -> StoredResponse | None:
        if self._status is None:
            return None
        return StoredResponse(status=self._status, headers=self._headers, body=bytes(self._body))

    async def deliver(self, send: Send) -> None:
        for message in self._messages:
            await send(message)


async def _release(store: IdempotencyStore, claim: IdempotencyClaim) -> None:
    """Free an unsettled claim for a retry; if the database cannot be told, the claim's
    lease frees it instead."""
    with contextlib.suppress(StorageUnavailable):
        await store.release(claim)


async def _replay(response: StoredResponse, send: Send) -> None:
    headers = [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in response.headers
    ]
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": [*headers, (REPLAYED.lower().encode(), b"true")],
        }
    )
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


async def _read_body(receive: Receive, limit: int) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if len(body) > limit:
            raise RequestEntityTooLarge
        if not message.get("more_body", False):
            break
    return bytes(body)


def _replaying(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Any:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for header, value in scope.get("headers", ()):
        if header == wanted:
            return str(value.decode("latin-1"))
    return None


def _caller(principal: OperatorPrincipal) -> str:
    match principal:
        case StaffPrincipal(staff=staff):
            return f"staff:{staff.id}"
        case DevicePrincipal(device=device):
            return f"device:{device.id}"
        case _:
            assert_never(principal)


def _reads_only(handler: Any) -> bool:
    opt = getattr(handler, "opt", None) or {}
    return bool(opt.get(_OPT_KEY) == "reads")


def takes_anonymous_keys(scope: Any) -> bool:
    """Whether the route this request was routed to honours anonymous callers' keys."""
    opt = getattr(scope.get("route_handler"), "opt", None) or {}
    return bool(opt.get(_OPT_KEY) == "anonymous")


def _route_caller(path: str) -> str:
    """The caller an anonymous key belongs to: the route it was sent to (hashed, to fit
    the store's caller column whatever the path)."""
    return f"public:{hashlib.sha256(path.encode()).hexdigest()[:56]}"


def request_fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests the same request: method, path, query and body."""
    digest = hashlib.sha256()
    for part in (method, path, query):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


_PARAMETER = Parameter(
    name=HEADER,
    param_in="header",
    required=False,
    schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=255, pattern=KEY_PATTERN),
    description=(
        "1 to 255 printable ASCII characters (a fresh UUID per action). Send the same key "
        "when retrying: the first response is stored and replayed for 24 hours "
        "(`Idempotent-Replayed: true`). A malformed key, or the key with another request, "
        "is 422; a retry while the first still runs is 409."
    ),
)
# What the header adds to any route's answers: the key's own refusals, and the body
# limit, which the middleware enforces while it reads the body to compare retries.
_KEY_STATUSES = (409, 413, 422)


@dataclass
class IdempotentOperation(Operation):
    """An unsafe operation's OpenAPI description, with the ``Idempotency-Key`` header."""

    def __post_init__(self) -> None:
        self.parameters = [*(self.parameters or []), _PARAMETER]
        self.responses = {**problem_descriptions(*_KEY_STATUSES), **(self.responses or {})}


def document_idempotency(app: Litestar) -> None:
    """Every authenticated unsafe route documents the header, whoever wrote the route."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            methods = set(getattr(handler, "http_methods", ()))
            if methods & UNSAFE_METHODS and handler.resolve_security() and not _reads_only(handler):
                handler.operation_class = IdempotentOperation
