"""Who is calling: a signed-in staff member or a registered device."""

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


class DevicePrincipal(msgspec.Struct, frozen=True, kw_only=True, tag="device"):
    device: Device
    token_id: UUID
    token_expires_at: datetime | None = None


Principal = StaffPrincipal | DevicePrincipal
