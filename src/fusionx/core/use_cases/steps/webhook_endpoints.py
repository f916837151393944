"""What the webhook use cases share: who may manage endpoints, which event types and
URLs an endpoint may have, and the one check of a URL's target before any request."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Sequence

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor, actor_of
from fusionx.core.model.events import EventType
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.model.webhooks import SECRET_PREFIX, WebhookPolicy
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.webhook_urls import IpAddress, Target, check_addresses, parse_target
from fusionx.ports.host_resolver import HostResolver, HostUnresolved

PUBLIC_EVENT_TYPES = tuple(sorted(t.value for t in EventType))
MAX_DESCRIPTION = 200


def require_webhook_admin(principal: Principal) -> Actor:
    """Endpoints send the fleet's events out of it: owners and admins only."""
    return actor_of(require_staff(principal, Role.ADMIN))


def checked_event_types(event_types: Sequence[str]) -> tuple[str, ...]:
    """At least one, each a public event type; in a stable order, each once."""
    if not event_types:
        raise InvalidInput("event_types", Message("input.empty"))
    unknown = [t for t in event_types if t not in PUBLIC_EVENT_TYPES]
    if unknown:
        raise InvalidInput(
            "event_types",
            Message("webhook.event_type_unknown", {"type": unknown[0][:60]}),
        )
    return tuple(sorted(set(event_types)))


def new_signing_secret() -> str:
    """256 random bits; the prefix lets secret scanners and people tell what it is."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


async def checked_target(
    resolver: HostResolver, url: str, policy: WebhookPolicy
) -> tuple[Target, IpAddress]:
    """The URL's target and the address to connect to, every address of its host
    having passed the rules (``core.rules.webhook_urls``); ``InvalidInput("url")`` if not."""
    target = parse_target(url, policy)
    if target.literal is not None:
        return target, ipaddress.ip_address(target.literal)
    try:
        addresses = await resolver.resolve(target.host, target.port)
    except HostUnresolved:
        raise InvalidInput(
            "url", Message("webhook.url_unresolved", {"host": target.host[:100]})
        ) from None
    check_addresses(target.host, addresses, policy)
    return target, addresses[0]
