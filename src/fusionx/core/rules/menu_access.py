"""Who may see and edit which part of the menu.

The fleet catalogue (entries without a truck) is edited by owners and admins; a
truck's own entries, its selection of the catalogue and its specials by its managers
(and fleet-wide staff). Everyone on a truck sees the catalogue and that truck's own
entries; another truck's entries answer 404.
"""

from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound, PermissionDenied
from fusionx.core.messages import Message
from fusionx.core.model.principals import Principal, StaffPrincipal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import can_act_on_truck, require_staff


def can_see_menu_entry(principal: Principal, truck_id: UUID | None) -> bool:
    return truck_id is None or can_act_on_truck(principal, truck_id)


def require_menu_editor(principal: Principal, truck_id: UUID | None) -> StaffPrincipal:
    """Managers and above, on the fleet catalogue only if fleet-wide."""
    if truck_id is not None and not can_act_on_truck(principal, truck_id):
        raise NotFound("truck", truck_id)
    staff = require_staff(principal, Role.MANAGER)
    if truck_id is None and not staff.staff.role.is_fleet_wide:
        raise PermissionDenied(Message("access.fleet_catalogue"))
    return staff
