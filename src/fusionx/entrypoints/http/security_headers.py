"""Headers every response carries, as a pure ASGI middleware around the whole app.

- ``X-Content-Type-Options: nosniff`` on every response: a browser must never read a
  JSON body (which may echo text a customer typed) as HTML or script;
- ``Cache-Control: no-store`` on the responses of routes that issue a credential
  (``credential_routes``): no browser, proxy or disk cache may keep a token;
- ``Strict-Transport-Security`` when the service is served over TLS (``FUSIONX_PUBLIC_URL``
  is ``https://…``), so browsers never reach it over plain HTTP again. Sub-domains are
  left out: other services of the domain may not speak TLS.

Wrapping the router, it sees 404 and 405 answers too, and ``scope["route_handler"]``
once routing has chosen one.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from fusionx.entrypoints.http.credential_routes import issues_credential

# One year: what browsers' preload lists ask for, and long enough to outlast any visit gap.
HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_NO_STORE = (b"cache-control", b"no-store")
_HSTS = (b"strict-transport-security", f"max-age={HSTS_MAX_AGE_SECONDS}".encode())


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self._app = app
        self._always = (_NOSNIFF, _HSTS) if hsts else (_NOSNIFF,)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                added = self._always
                headers = list(message.get("headers", ()))
                if issues_credential(scope):
                    headers = [(name, value) for name, value in headers if name != _NO_STORE[0]]
                    added = (*added, _NO_STORE)
                message = {**message, "headers": [*headers, *added]}
            await send(message)

        await self._app(scope, receive, send_with_headers)
