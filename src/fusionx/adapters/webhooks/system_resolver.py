from __future__ import annotations

import asyncio
import ipaddress
import socket

from fusionx.core.rules.webhook_urls import IpAddress
from fusionx.ports.host_resolver import HostUnresolved

# A name that takes longer than this is treated as one that does not resolve.
RESOLVE_TIMEOUT_SECONDS = 5.0


class SystemHostResolver:
    """``HostResolver`` through the system's resolver (``getaddrinfo``, off the loop)."""

    async def resolve(self, host: str, port: int) -> list[IpAddress]:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(RESOLVE_TIMEOUT_SECONDS):
                found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError, UnicodeError) as error:
            raise HostUnresolved(host) from error
        addresses: list[IpAddress] = []
        for *_, sockaddr in found:
            # An IPv6 sockaddr may carry a zone ("fe80::1%eth0"): the address is before it.
            address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise HostUnresolved(host)
        return addresses
