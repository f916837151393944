"""Who did something: recorded on every transition, adjustment and order."""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.principals import DevicePrincipal, Principal


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    kind: PrincipalKind
    id: UUID


def actor_of(principal: Principal) -> Actor:
    if isinstance(principal, DevicePrincipal):
        return Actor(kind=PrincipalKind.DEVICE, id=principal.device.id)
    return Actor(kind=PrincipalKind.STAFF, id=principal.staff.id)
