"""Where a webhook may be sent: the guard against server-side request forgery.

A partner's URL makes the server send requests, so a URL naming the server's own
network (the database, the metadata service at 169.254.169.254, a router's admin page)
would turn webhooks into a way in. The rules, checked when an endpoint is registered or
changed AND again before every delivery (a name may resolve elsewhere by then, and the
delivery connects to the address checked here, never resolving twice):
- https only; http when the operator allows it (``WebhookPolicy.allow_http``);
- no user name or password in the URL, no fragment, at most 2,000 characters;
- ``localhost`` and ``*.localhost`` are loopback whatever DNS says;
- every address the host resolves to (or the literal address it is, in any spelling
  ``inet_aton`` accepts: ``2130706433``, ``0177.0.0.1``, ``0x7f.1``) must be global:
  not private, loopback, link-local, multicast, unspecified, reserved, shared (CGNAT)
  or documentation, IPv4 or IPv6, including IPv4 inside IPv6 (mapped ``::ffff:a.b.c.d``,
  6to4, Teredo, NAT64), unless the operator allows private targets or lists networks.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.webhooks import WebhookPolicy

MAX_URL_LENGTH = 2000
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.IGNORECASE)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOCAL_NAMES = ("localhost", "localhost.")


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """A URL taken apart: where to connect, and what to call the host (TLS, ``Host``)."""

    scheme: str
    host: str
    port: int
    literal: str | None  # the host's address when the URL names one, canonical


def parse_target(url: str, policy: WebhookPolicy) -> Target:
    """The URL's target, or ``InvalidInput("url")`` saying which rule it breaks
    (addresses it names literally are checked here too; names, once resolved)."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput("url", Message("input.too_long", {"count": MAX_URL_LENGTH}))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidInput("url", Message("webhook.url_invalid")) from None
    allowed = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme not in allowed:
        raise InvalidInput(
            "url",
            Message("webhook.url_scheme_http" if policy.allow_http else "webhook.url_scheme"),
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidInput("url", Message("webhook.url_credentials"))
    host = (parts.hostname or "").lower()
    if not host or parts.fragment or any(c.isspace() or ord(c) < 0x20 for c in url):
        raise InvalidInput("url", Message("webhook.url_invalid"))
    literal = literal_address(host)
    if literal is None and (host in _LOCAL_NAMES or host.rstrip(".").endswith(".localhost")):
        literal = ipaddress.IPv4Address("127.0.0.1")
    if literal is not None:
        check_addresses(host, [literal], policy)
    return Target(
        scheme=parts.scheme,
        host=host,
        port=port or (443 if parts.scheme == "https" else 80),
        literal=None if literal is None else str(literal),
    )


def literal_address(host: str) -> IpAddress | None:
    """The address ``host`` spells, in any form a resolver would take as one, else None.

    ``InvalidInput`` for a numeric host that is no address (``1.2.3.999``): a resolver
    might look it up as a name, and nothing good can come of that."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if not _NUMERIC_HOST.match(host):
        return None
    parts = host.rstrip(".").split(".")
    try:
        numbers = [_inet_aton_part(part) for part in parts]
    except ValueError:
        raise InvalidInput("url", Message("webhook.url_invalid")) from None
    # a.b.c.d, a.b.c (c: 16 bits), a.b (b: 24 bits), a (32 bits): as inet_aton reads them.
    *leading, last = numbers
    if any(n > 0xFF for n in leading) or last >= 1 << (8 * (5 - len(numbers))):
        raise InvalidInput("url", Message("webhook.url_invalid"))
    value = last
    for index, number in enumerate(leading):
        value |= number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _inet_aton_part(part: str) -> int:
    if part.lower().startswith("0x"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part, 10)


def check_addresses(host: str, addresses: Iterable[IpAddress], policy: WebhookPolicy) -> None:
    """``InvalidInput("url")`` unless every address is one the policy lets us reach."""
    for address in addresses:
        if not policy.allow_private and not _listed(address, policy) and forbidden(address):
            raise InvalidInput(
                "url", Message("webhook.url_private", {"host": host, "address": str(address)})
            )


def _listed(address: IpAddress, policy: WebhookPolicy) -> bool:
    return any(
        address.version == network.version and address in network
        for network in map(ipaddress.ip_network, policy.allowed_networks)
    )


def forbidden(address: IpAddress) -> bool:
    """Whether ``address``, or an IPv4 address carried inside it, is not a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = [address.ipv4_mapped, address.sixtofour]
        if address.teredo is not None:
            inner.append(address.teredo[1])
        if address in _NAT64:
            inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if any(v4 is not None and forbidden(v4) for v4 in inner):
            return True
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    )
