"""Per-client rate limits on the routes that opt in, as an ASGI middleware.

A route (or a whole controller) opts in with one line, ``opt=PUBLIC_RATE_LIMIT``: each
client address (``client_address``: trusted proxies honoured) may then call the routes so
marked as often as ``FUSIONX_PUBLIC_RATE_LIMIT`` says, all of them counting together,
across every worker and instance (the ``RateLimiter`` keeps the count in Redis or the
database). Over the limit the route is not run: a 429 problem with ``Retry-After``.
Answers within the limit carry ``RateLimit-Limit``, ``RateLimit-Remaining`` and
``RateLimit-Reset`` (seconds), as the IETF draft's first versions spelled them.

It runs after routing (``scope["route_handler"]``) and before the body is read, so a
refused request costs one store round trip and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from fusionx.entrypoints.http.origin import AddressOf
from fusionx.ports.rate_limiter import RateDecision, RateLimiter

OPT_KEY = "rate_limit"
PUBLIC = "public"
# The one-line opt-in: `@get(..., opt=PUBLIC_RATE_LIMIT)` or on a Controller.
PUBLIC_RATE_LIMIT: Mapping[str, Any] = {OPT_KEY: PUBLIC}
# The routes anyone may call that are not rate-limited, and why. Every other route the
# access table opens to anonymous callers must opt in (tests/http/test_rate_limits.py).
NOT_RATE_LIMITED: Mapping[str, str] = {
    "POST /api/v1/auth/login": "throttled already, per account and address (login_failures)",
    "POST /api/v1/webhooks/payments": "the gateway's signed calls must never be refused",
    "POST /api/v1/sms/status": "the SMS provider's signed callbacks must never be refused",
    "GET /health/live": "the orchestrator's probes, from a few addresses, often",
    "GET /health/ready": "the orchestrator's probes, from a few addresses, often",
}

# The routes that need a credential and are rate-limited all the same, and why. Other
# signed-in routes are not: callers behind one address (a truck's devices) must not
# use up each other's window (tests/http/test_rate_limits.py).
SIGNED_IN_RATE_LIMITED: Mapping[str, str] = {
    "POST /api/v1/graphql": "one query may read up to its cost budget; many would not be bounded",
}


class RateLimited(Exception):
    """The client has used up its window (``problems`` makes it a 429)."""

    def __init__(self, decision: RateDecision) -> None:
        super().__init__(f"rate limit of {decision.limit} exceeded")
        self.decision = decision


def rate_limit_headers(decision: RateDecision) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(decision.reset_after_seconds),
    }


def rate_limit_middleware(limiters: Mapping[str, RateLimiter], address_of: AddressOf) -> Any:
    """The middleware factory Litestar calls with the next app."""

    def build(app: ASGIApp) -> ASGIApp:
        return RateLimitMiddleware(app, limiters, address_of)

    return build


class RateLimitMiddleware:
    def __init__(
        self, app: ASGIApp, limiters: Mapping[str, RateLimiter], address_of: AddressOf
    ) -> None:
        self._app = app
        self._limiters = limiters
        self._address_of = address_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        policy = None if handler is None else handler.opt.get(OPT_KEY)
        if scope["type"] != ScopeType.HTTP or policy is None:
            await self._app(scope, receive, send)
            return
        address = self._address_of(ASGIConnection(scope))
        decision = await self._limiters[policy].hit(f"{policy}:{address}")
        if not decision.allowed:
            raise RateLimited(decision)
        added = [
            (name.lower().encode(), value.encode())
            for name, value in rate_limit_headers(decision).items()
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *added]}
            await send(message)

        await self._app(scope, receive, send_with_headers)


def unknown_policies(routes: Any, limiters: Mapping[str, RateLimiter]) -> list[str]:
    """Routes that name a rate limit no limiter serves: a typo caught at start-up."""
    return [
        f"{route.path}: {handler.opt[OPT_KEY]!r}"
        for route in routes
        for handler in getattr(route, "route_handlers", ())
        if OPT_KEY in handler.opt and handler.opt[OPT_KEY] not in limiters
    ]
