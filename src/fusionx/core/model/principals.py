"""Who is calling: the fleet's side (a staff member, a kitchen device) or a customer's
(a signed-in customer account, or a guest holding one order's tracking token).

What each may do is decided in ``core/rules/access.py``, by matching on these types.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.devices import Device
from fusionx.core.model.staff import StaffMember


class StaffPrincipal(msgspec.Struct, frozen=True, kw_only=True, tag="staff"):
    staff: StaffMember
    token_id: UUID
    # When the credential stops working by itself (a long-lived stream must end then).
    token_expires_at: datetime | None = None
    # When the session was last recorded as seen (``NoteSessionActivity``).
    token_seen_at: datetime | None = None


class DevicePrincipal(msgspec.Struct, frozen=True, kw_only=True, tag="device"):
    device: Device
    token_id: UUID
    token_expires_at: datetime | None = None


class CustomerPrincipal(msgspec.Struct, frozen=True, kw_only=True, tag="customer"):
    """A customer signed in to their account (by a one-time code): their own orders only."""

    customer_id: UUID
    token_id: UUID
    token_expires_at: datetime | None = None


class GuestPrincipal(msgspec.Struct, frozen=True, kw_only=True, tag="guest"):
    """Whoever holds an order's tracking token: that one order, nothing else."""

    order_id: UUID
    token_id: UUID
    token_expires_at: datetime | None = None


# The fleet's own callers: they act on trucks, within their scope.
OperatorPrincipal = StaffPrincipal | DevicePrincipal
# The public's callers: they act on their orders only, never on a truck.
CustomerSidePrincipal = CustomerPrincipal | GuestPrincipal
Principal = StaffPrincipal | DevicePrincipal | CustomerPrincipal | GuestPrincipal
