from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role, StaffFilter, StaffMember
from fusionx.core.rules.access import require_staff, staff_scope
from fusionx.ports.unit_of_work import UnitOfWork


class StaffSearch(msgspec.Struct, frozen=True, kw_only=True):
    text: str | None = None
    role: Role | None = None
    active: bool | None = None
    truck_id: UUID | None = None


class ListStaff:
    """Search the staff, by name then id.

    Rules:
    - owners and admins see everyone; managers the crew of their own trucks and
      themselves; crew, devices and customers are refused (403);
    - ``text`` matches a part of the name or email, ignoring case; ``role``, ``active``
      and ``truck_id`` narrow further (a truck out of a manager's scope finds nobody).
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, principal: Principal, search: StaffSearch, page: PageRequest
    ) -> Page[StaffMember]:
        caller = require_staff(principal, Role.MANAGER)
        criteria = StaffFilter(
            text=search.text,
            role=search.role,
            active=search.active,
            truck_id=search.truck_id,
            scope=staff_scope(caller),
        )
        async with self._uow as uow:
            return await uow.staff.search(criteria, page)
