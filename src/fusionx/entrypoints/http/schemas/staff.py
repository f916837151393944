"""How a staff member looks on the wire: never with their password hash."""

from __future__ import annotations

from typing import Self
from uuid import UUID

import msgspec

from fusionx.core.model.staff import Role, StaffMember


class StaffView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    email: str
    name: str
    phone: str | None
    role: Role
    truck_ids: list[UUID]

    @classmethod
    def of(cls, staff: StaffMember) -> Self:
        return cls(
            id=staff.id,
            email=staff.email,
            name=staff.name,
            phone=staff.phone,
            role=staff.role,
            truck_ids=sorted(staff.truck_ids),
        )
