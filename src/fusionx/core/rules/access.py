"""Access control, in one place: role checks and truck scope.

Crew and managers act only on trucks they are assigned to; owners and admins on all.
A device acts only on its own truck. A caller outside a truck's scope is told the
truck's resource does not exist (404), so ids of other trucks leak nothing.
"""

from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound, PermissionDenied
from fusionx.core.model.principals import DevicePrincipal, Principal, StaffPrincipal
from fusionx.core.model.staff import Role


def can_act_on_truck(principal: Principal, truck_id: UUID) -> bool:
    if isinstance(principal, DevicePrincipal):
        return principal.device.truck_id == truck_id
    staff = principal.staff
    return staff.role.is_fleet_wide or truck_id in staff.truck_ids


def require_truck_scope(
    principal: Principal, truck_id: UUID, resource: str, resource_id: UUID
) -> None:
    """Raise NotFound naming the *requested* resource when the truck is out of scope."""
    if not can_act_on_truck(principal, truck_id):
        raise NotFound(resource, resource_id)


def require_staff(principal: Principal, minimum: Role = Role.CREW) -> StaffPrincipal:
    """Only staff of at least ``minimum`` role may go on; devices never."""
    if not isinstance(principal, StaffPrincipal):
        raise PermissionDenied("This action needs a staff account, not a device credential")
    if not principal.staff.role.at_least(minimum):
        raise PermissionDenied(f"This action needs the {minimum.value} role or higher")
    return principal
