"""Which address a request really came from, for per-client throttling and the audit
trail.

Behind a reverse proxy the peer is the proxy. Its ``X-Forwarded-For`` is believed only
when the peer is a trusted proxy, and then read from the right: each trusted hop
appended the address it saw, so the first untrusted address is the client's. Anything
left of that could have been written by the client itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from ipaddress import ip_address
from typing import Any

from litestar.connection import ASGIConnection

from fusionx.entrypoints.settings import IPNetwork

UNKNOWN = "unknown"


def client_address_provider(
    trusted: Sequence[IPNetwork],
) -> Callable[[ASGIConnection[Any, Any, Any, Any]], str]:
    def _is_trusted(address: str) -> bool:
        try:
            parsed = ip_address(address)
        except ValueError:
            return False
        return any(parsed in network for network in trusted)

    def client_address(request: ASGIConnection[Any, Any, Any, Any]) -> str:
        peer = request.client.host if request.client else UNKNOWN
        if not trusted or not _is_trusted(peer):
            return peer
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
        for hop in reversed([h for h in hops if h]):
            if not _is_trusted(hop):
                return hop
        return peer

    return client_address
