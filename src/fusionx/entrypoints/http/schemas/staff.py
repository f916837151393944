"""How a staff member looks on the wire (never with their password hash), the staff
list, and what an administrator sends to change someone's role."""

from __future__ import annotations

from typing import Self
from uuid import UUID

import msgspec

from fusionx.core.model.staff import Role, StaffMember
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.requests import RequestBody


class StaffView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    email: str
    name: str
    phone: str | None
    role: Role
    truck_ids: list[UUID]
    # false: deactivated, cannot sign in.
    active: bool

    @classmethod
    def of(cls, staff: StaffMember) -> Self:
        return cls(
            id=staff.id,
            email=staff.email,
            name=staff.name,
            phone=staff.phone,
            role=staff.role,
            truck_ids=sorted(staff.truck_ids),
            active=staff.active,
        )


class StaffPage(PageView, frozen=True, kw_only=True):
    items: list[StaffView]
    view = StaffView.of


class RoleBody(RequestBody, frozen=True, kw_only=True):
    role: Role
