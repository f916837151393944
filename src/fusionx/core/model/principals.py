"""Who is calling: a signed-in staff member or a registered device."""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.devices import Device
from fusionx.core.model.staff import StaffMember


class StaffPrincipal(msgspec.Struct, frozen=True, kw_only=True, tag="staff"):
    staff: StaffMember
    token_id: UUID


class DevicePrincipal(msgspec.Struct, frozen=True, kw_only=True, tag="device"):
    device: Device
    token_id: UUID


Principal = StaffPrincipal | DevicePrincipal
