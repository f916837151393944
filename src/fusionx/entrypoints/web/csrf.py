"""CSRF protection of the pages: a double-submit token of ours.

Every page visitor gets a random token in a cookie (``HttpOnly``, ``SameSite=Strict``,
``Path=/app``, ``Secure`` over TLS) and in the page itself (``csrf_token()`` in a
template: a hidden ``_csrf`` field in each form, and an ``X-CSRF-Token`` header on every
htmx request through ``hx-headers`` on ``<body>``). ``require_csrf_token``, a guard on
every page route, refuses a state-changing request (not GET, HEAD or OPTIONS) whose
form field or header does not equal the cookie: another site can make a browser send
the cookie, but cannot read it or the page to learn the token.

The JSON API is not concerned: it authenticates with ``Authorization: Bearer``, which a
browser never adds on its own, and the session cookie is scoped to ``/app``.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.types import Message as AsgiMessage

from fusionx.core.errors import PermissionDenied
from fusionx.core.messages import Message

CSRF_COOKIE = "fusionx_csrf"
CSRF_FIELD = "_csrf"
CSRF_HEADER = "x-csrf-token"
PAGES_PATH = "/app"
_STATE_KEY = "fusionx.csrf_token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)


def csrf_token_of(scope: Any) -> str:
    """The request's token, as ``CsrfCookieMiddleware`` found or made it."""
    return str(scope.get("state", {}).get(_STATE_KEY, ""))


class CsrfCookieMiddleware:
    """Find the visitor's token in its cookie, or make one and set the cookie."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self._app = app
        self._secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        token = ASGIConnection[Any, Any, Any, Any](scope).cookies.get(CSRF_COOKIE, "")
        is_new = len(token) != _TOKEN_LENGTH
        if is_new:
            token = secrets.token_urlsafe(32)
        scope.setdefault("state", {})[_STATE_KEY] = token
        if not is_new:
            await self._app(scope, receive, send)
            return
        cookie = Cookie(
            key=CSRF_COOKIE,
            value=token,
            path=PAGES_PATH,
            httponly=True,
            secure=self._secure,
            samesite="strict",
        ).to_encoded_header()

        async def send_with_cookie(message: AsgiMessage) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), cookie]}
            await send(message)

        await self._app(scope, receive, send_with_cookie)


async def require_csrf_token(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """A guard: a state-changing request carries the visitor's token, else 403."""
    if connection.scope.get("method", "GET") in _SAFE_METHODS:
        return
    expected = connection.cookies.get(CSRF_COOKIE, "")
    sent = connection.headers.get(CSRF_HEADER)
    if sent is None and isinstance(connection, Request):
        sent = str((await connection.form()).get(CSRF_FIELD, ""))
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise PermissionDenied(Message("page.csrf_refused"))
