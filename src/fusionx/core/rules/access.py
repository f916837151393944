"""Access control, in one place: role checks, truck scope and order scope.

Crew and managers act only on trucks they are assigned to; owners and admins on all.
A device acts only on its own truck. A caller outside a truck's scope is told the
truck's resource does not exist (404), so ids of other trucks leak nothing.

Customers never act on a truck: a signed-in customer reads and acts on their own
orders only, a guest on the one order of its tracking token. Every staff, kitchen and
menu-administration rule refuses them with the error a caller without the right gets:
404 where the check is a truck's scope, 403 where it is a staff account.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_never
from uuid import UUID

from fusionx.core.errors import InvalidInput, NotFound, PermissionDenied, Resource
from fusionx.core.messages import Message
from fusionx.core.model.principals import (
    CustomerPrincipal,
    CustomerSidePrincipal,
    DevicePrincipal,
    GuestPrincipal,
    OperatorPrincipal,
    Principal,
    StaffPrincipal,
)
from fusionx.core.model.staff import Role, StaffMember, StaffScope


def can_act_on_truck(principal: Principal, truck_id: UUID) -> bool:
    match principal:
        case StaffPrincipal(staff=staff):
            return staff.role.is_fleet_wide or truck_id in staff.truck_ids
        case DevicePrincipal(device=device):
            return device.truck_id == truck_id
        case CustomerPrincipal() | GuestPrincipal():
            return False
        case _:
            assert_never(principal)


def trucks_in_scope(principal: OperatorPrincipal) -> frozenset[UUID] | None:
    """The trucks whose own resources the caller sees; None for all of them."""
    match principal:
        case StaffPrincipal(staff=staff):
            return None if staff.role.is_fleet_wide else staff.truck_ids
        case DevicePrincipal(device=device):
            return frozenset({device.truck_id})
        case _:
            assert_never(principal)


def audit_scope(principal: Principal) -> frozenset[UUID] | None:
    """The trucks whose audit records the caller reads; None for every record, the
    fleet's own included. Owners and admins read them all; managers their trucks' only
    (never the fleet's stream); crew, devices and customers none (403)."""
    staff = require_staff(principal, Role.MANAGER)
    return trucks_in_scope(staff)


def business_scope(principal: Principal) -> frozenset[UUID] | None:
    """The trucks whose business the caller reads: the books (history, exports), the
    trading figures (analytics) and the live activity; None for the whole fleet. Owners
    and admins read every truck's and the fleet's, managers their trucks' only (the fleet,
    to them, is their trucks); crew, devices and customers none (403): these carry
    customers' contact details and the money, and compare trucks, a manager's business."""
    staff = require_staff(principal, Role.MANAGER)
    return trucks_in_scope(staff)


def require_truck_scope(
    principal: Principal, truck_id: UUID, resource: Resource, resource_id: UUID
) -> None:
    """Raise NotFound naming the *requested* resource when the truck is out of scope."""
    if not can_act_on_truck(principal, truck_id):
        raise NotFound(resource, resource_id)


def require_operator(principal: Principal) -> OperatorPrincipal:
    """Staff and devices may go on; customers never (the fleet's own operations)."""
    match principal:
        case StaffPrincipal() | DevicePrincipal():
            return principal
        case CustomerPrincipal() | GuestPrincipal():
            raise PermissionDenied(Message("access.operators_only"))
        case _:
            assert_never(principal)


def require_staff(principal: Principal, minimum: Role = Role.CREW) -> StaffPrincipal:
    """Only staff of at least ``minimum`` role may go on; devices and customers never."""
    match principal:
        case StaffPrincipal(staff=staff):
            if not staff.role.at_least(minimum):
                raise PermissionDenied(Message("access.role_needed", {"role": minimum.value}))
            return principal
        case DevicePrincipal():
            raise PermissionDenied(Message("access.staff_not_device"))
        case CustomerPrincipal() | GuestPrincipal():
            raise PermissionDenied(Message("access.staff_only"))
        case _:
            assert_never(principal)


def can_see_order(
    principal: Principal, *, order_id: UUID, truck_id: UUID, customer_id: UUID | None
) -> bool:
    """Whether the caller may read (and act on) an order.

    ``truck_id`` is the truck whose shift took the order; ``customer_id`` the account
    that placed it, None for an order placed at the window or by a guest.
    """
    match principal:
        case StaffPrincipal() | DevicePrincipal():
            return can_act_on_truck(principal, truck_id)
        case CustomerPrincipal(customer_id=me):
            return customer_id is not None and customer_id == me
        case GuestPrincipal(order_id=tracked):
            return tracked == order_id
        case _:
            assert_never(principal)


def require_order_scope(
    principal: Principal, *, order_id: UUID, truck_id: UUID, customer_id: UUID | None
) -> None:
    """404 for an order the caller may not see: its existence is not theirs to learn."""
    if not can_see_order(principal, order_id=order_id, truck_id=truck_id, customer_id=customer_id):
        raise NotFound("order", order_id)


def owns_order(principal: Principal, *, order_id: UUID, customer_id: UUID | None) -> bool:
    """Whether the caller is the order's customer: the guest holding its tracking token,
    or the signed-in account that placed it. Staff and devices never are."""
    match principal:
        case GuestPrincipal(order_id=tracked):
            return tracked == order_id
        case CustomerPrincipal(customer_id=me):
            return customer_id is not None and customer_id == me
        case StaffPrincipal() | DevicePrincipal():
            return False
        case _:
            assert_never(principal)


def require_order_owner(
    principal: Principal, *, order_id: UUID, customer_id: UUID | None
) -> CustomerSidePrincipal:
    """What only the order's customer may do (review it): staff and devices are refused
    as operators (403), another customer's order does not exist for the caller (404)."""
    match principal:
        case StaffPrincipal() | DevicePrincipal():
            raise PermissionDenied(Message("access.customers_only"))
        case CustomerPrincipal() | GuestPrincipal():
            if not owns_order(principal, order_id=order_id, customer_id=customer_id):
                raise NotFound("order", order_id)
            return principal
        case _:
            assert_never(principal)


# Staff administration. Managers see the crew of their own trucks and themselves; owners
# and admins the whole fleet. Nobody acts on a role above their own (so admins never on
# an owner), nor gives a role above their own.


def staff_scope(caller: StaffPrincipal) -> StaffScope | None:
    """Whom a staff member may see in the staff list; None for everyone."""
    staff = caller.staff
    return None if staff.role.is_fleet_wide else StaffScope(truck_ids=staff.truck_ids, me=staff.id)


def require_staff_visible(caller: StaffPrincipal, target: StaffMember) -> None:
    """404 for a staff member the caller may not see: their existence is not theirs to learn."""
    scope = staff_scope(caller)
    if scope is not None and not scope.covers(target):
        raise NotFound("staff member", target.id)


def require_staff_admin(caller: StaffPrincipal, target: StaffMember) -> None:
    """Owners act on anyone, admins on anyone but an owner; nobody else."""
    require_staff(caller, Role.ADMIN)
    if target.role.rank > caller.staff.role.rank:
        raise PermissionDenied(Message("staff.above_your_role"))


def require_role_change(caller: StaffPrincipal, target: StaffMember, role: Role) -> None:
    """Owners give any role; admins any role below owner, to anyone but an owner."""
    require_staff_admin(caller, target)
    if role.rank > caller.staff.role.rank:
        raise PermissionDenied(Message("staff.role_above_yours"))


def require_truck_assignment(caller: StaffPrincipal, target: StaffMember, truck_id: UUID) -> None:
    """Owners and admins assign anyone to any truck; managers only crew they see, only to
    their own trucks (another truck is 404, as it is for every truck out of scope)."""
    require_staff(caller, Role.MANAGER)
    require_staff_visible(caller, target)
    require_truck_scope(caller, truck_id, "truck", truck_id)
    if caller.staff.role.is_fleet_wide:
        return
    if target.role is not Role.CREW:
        raise PermissionDenied(Message("staff.managers_assign_crew"))


def require_may_invite(
    principal: Principal, role: Role, truck_ids: Iterable[UUID]
) -> StaffPrincipal:
    """Who may invite whom: owners anyone, admins anyone below owner, managers crew of
    their own trucks only (at least one; another truck is 404, as everywhere); crew and
    devices nobody."""
    caller = require_staff(principal, Role.MANAGER)
    me = caller.staff
    if me.role.is_fleet_wide:
        if role is Role.OWNER and me.role is not Role.OWNER:
            raise PermissionDenied(Message("accounts.invite.owner_only"))
        return caller
    if role is not Role.CREW:
        raise PermissionDenied(Message("accounts.invite.crew_only"))
    truck_ids = sorted(truck_ids)
    if not truck_ids:
        raise InvalidInput("truck_ids", Message("accounts.invite.needs_truck"))
    for truck_id in truck_ids:
        if truck_id not in me.truck_ids:
            raise NotFound("truck", truck_id)
    return caller
