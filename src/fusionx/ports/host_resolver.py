from __future__ import annotations

from typing import Protocol

from fusionx.core.rules.webhook_urls import IpAddress


class HostUnresolved(Exception):
    """The name has no address (or the resolver could not be reached)."""


class HostResolver(Protocol):
    """Resolves host names to addresses, as the system's resolver does.

    Every address the name has, IPv4 and IPv6, so that a caller can refuse the name
    when any of them is one it must not reach. ``HostUnresolved`` when there is none.
    """

    async def resolve(self, host: str, port: int) -> list[IpAddress]: ...
