from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

import httpx

from fusionx.ports.webhook_sender import OutgoingWebhook, WebhookAnswer

DEFAULT_TIMEOUT_SECONDS = 10.0


class HttpxWebhookSender:
    """``WebhookSender`` over httpx, connecting to the address the caller checked.

    The URL's host is swapped for that address, and the name goes in the ``Host``
    header and in TLS (SNI, and the certificate must be the name's), so a DNS answer
    that changed since the check cannot send the request elsewhere. Redirects are not
    followed, proxies from the environment are not used (they would connect by name),
    and the answer's body is never read: only its status counts.
    """

    def __init__(self, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_seconds),
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=0),
        )

    async def send(self, request: OutgoingWebhook) -> WebhookAnswer:
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        address = ipaddress.ip_address(request.address)
        literal = f"[{address}]" if address.version == 6 else str(address)
        netloc = literal if parts.port is None else f"{literal}:{parts.port}"
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        if ":" in host and not host.startswith("["):
            host_header = f"[{host}]" if parts.port is None else f"[{host}]:{parts.port}"
        try:
            async with self._client.stream(
                "POST",
                pinned,
                content=request.body,
                headers={**request.headers, "Host": host_header},
                extensions={"sni_hostname": host},
            ) as response:
                return WebhookAnswer(status=response.status_code)
        except httpx.HTTPError as error:
            return WebhookAnswer(error=f"{type(error).__name__}: {error}"[:500])

    async def close(self) -> None:
        await self._client.aclose()
