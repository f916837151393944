"""Who did something: recorded on every transition, adjustment and order."""

from __future__ import annotations

from typing import assert_never
from uuid import UUID

import msgspec

from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.principals import (
    CustomerPrincipal,
    CustomerSidePrincipal,
    DevicePrincipal,
    GuestPrincipal,
    OperatorPrincipal,
    StaffPrincipal,
)


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    kind: PrincipalKind
    id: UUID


def actor_of(principal: OperatorPrincipal) -> Actor:
    """Customers are no actor yet: ``rules.access.require_operator`` refuses them first."""
    match principal:
        case StaffPrincipal(staff=staff):
            return Actor(kind=PrincipalKind.STAFF, id=staff.id)
        case DevicePrincipal(device=device):
            return Actor(kind=PrincipalKind.DEVICE, id=device.id)
        case _:
            assert_never(principal)


def customer_actor(principal: CustomerSidePrincipal) -> Actor:
    """A customer as the author of what they write: their account, or, for a guest, the
    order whose tracking token they hold."""
    match principal:
        case CustomerPrincipal(customer_id=customer_id):
            return Actor(kind=PrincipalKind.CUSTOMER, id=customer_id)
        case GuestPrincipal(order_id=order_id):
            return Actor(kind=PrincipalKind.GUEST, id=order_id)
        case _:
            assert_never(principal)
