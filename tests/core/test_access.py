from __future__ import annotations

import inspect
from uuid import uuid4

import msgspec
import pytest

from fusionx.core.errors import NotFound, PermissionDenied
from fusionx.core.model.principals import (
    CustomerPrincipal,
    DevicePrincipal,
    GuestPrincipal,
    Principal,
    StaffPrincipal,
)
from fusionx.core.model.staff import Role
from fusionx.core.rules import access, menu_access
from fusionx.core.rules.access import (
    audit_scope,
    business_scope,
    can_act_on_truck,
    can_see_order,
    owns_order,
    require_may_invite,
    require_operator,
    require_order_owner,
    require_order_scope,
    require_staff,
    require_truck_scope,
)
from fusionx.core.rules.menu_access import can_see_menu_entry, require_menu_editor
from tests.support.factories import (
    CustomerPrincipalFactory,
    DeviceFactory,
    DevicePrincipalFactory,
    GuestPrincipalFactory,
    StaffMemberFactory,
    StaffPrincipalFactory,
)

TRUCK, OTHER = uuid4(), uuid4()


def staff(role: Role, *trucks: object) -> StaffPrincipal:
    member = StaffMemberFactory.build(role=role, truck_ids=frozenset(trucks))
    return StaffPrincipalFactory.build(staff=member)


def device(truck: object) -> DevicePrincipal:
    return DevicePrincipalFactory.build(device=DeviceFactory.build(truck_id=truck))


def customer() -> CustomerPrincipal:
    return CustomerPrincipalFactory.build()


def guest(order_id: object = None) -> GuestPrincipal:
    return GuestPrincipalFactory.build(**({"order_id": order_id} if order_id else {}))


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        (staff(Role.CREW, TRUCK), True),
        (staff(Role.MANAGER, OTHER), False),
        (staff(Role.ADMIN), True),
        (staff(Role.OWNER), True),
        (device(TRUCK), True),
        (device(OTHER), False),
        (customer(), False),
        (guest(), False),
    ],
)
def test_truck_scope(principal: Principal, allowed: bool) -> None:
    assert can_act_on_truck(principal, TRUCK) is allowed


def test_devices_never_pass_a_staff_check() -> None:
    with pytest.raises(PermissionDenied):
        require_staff(device(TRUCK))


def test_roles_rank_owner_over_admin_over_manager_over_crew() -> None:
    require_staff(staff(Role.OWNER), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        require_staff(staff(Role.CREW), Role.MANAGER)


CUSTOMERS = [customer(), guest()]
RULES_OF_THE_FLEET = [
    ("truck scope", lambda p: require_truck_scope(p, TRUCK, "truck", TRUCK), NotFound),
    ("audit reader", audit_scope, PermissionDenied),
    ("business reader", business_scope, PermissionDenied),
    ("operator", require_operator, PermissionDenied),
    *[
        (f"staff {role.value}", lambda p, role=role: require_staff(p, role), PermissionDenied)
        for role in Role
    ],
    ("truck menu editor", lambda p: require_menu_editor(p, TRUCK), NotFound),
    ("catalogue editor", lambda p: require_menu_editor(p, None), PermissionDenied),
    ("inviter", lambda p: require_may_invite(p, Role.CREW, [TRUCK]), PermissionDenied),
]


@pytest.mark.parametrize("principal", CUSTOMERS, ids=["customer", "guest"])
@pytest.mark.parametrize(("rule", "check", "error"), RULES_OF_THE_FLEET, ids=str)
def test_every_rule_of_the_fleet_refuses_customers(
    principal: Principal, rule: str, check: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        check(principal)  # type: ignore[operator]


def test_every_rule_that_takes_a_principal_is_checked_here() -> None:
    """A new rule in the access modules must be added to the lists above (or below)."""
    customer_rules = {"can_see_order", "require_order_scope"}  # tested on their own
    customer_rules |= {"owns_order", "require_order_owner"}
    predicates = {"can_act_on_truck", "can_see_menu_entry"}  # false for customers, below
    fleet_rules = {"require_truck_scope", "require_operator", "require_staff"}
    fleet_rules |= {"require_menu_editor", "audit_scope", "business_scope", "require_may_invite"}
    found = {
        name
        for module in (access, menu_access)
        for name, function in vars(module).items()
        if inspect.isfunction(function)
        and function.__module__ == module.__name__
        and "principal" in inspect.signature(function).parameters
    }
    assert found == customer_rules | predicates | fleet_rules | {"trucks_in_scope"}


@pytest.mark.parametrize("principal", CUSTOMERS, ids=["customer", "guest"])
def test_customers_see_no_menu_entry_of_the_fleet(principal: Principal) -> None:
    assert not can_see_menu_entry(principal, TRUCK)
    assert not can_act_on_truck(principal, TRUCK)


def test_a_customer_sees_their_own_orders_only() -> None:
    me = customer()
    order_id = uuid4()
    mine = {"order_id": order_id, "truck_id": TRUCK, "customer_id": me.customer_id}
    assert can_see_order(me, **mine)
    assert not can_see_order(me, **(mine | {"customer_id": uuid4()}))
    assert not can_see_order(me, **(mine | {"customer_id": None}))  # a window order
    with pytest.raises(NotFound):
        require_order_scope(me, **(mine | {"customer_id": uuid4()}))


def test_a_guest_sees_the_one_order_of_its_token() -> None:
    order_id = uuid4()
    holder = guest(order_id)
    assert can_see_order(holder, order_id=order_id, truck_id=TRUCK, customer_id=None)
    assert can_see_order(holder, order_id=order_id, truck_id=TRUCK, customer_id=uuid4())
    assert not can_see_order(holder, order_id=uuid4(), truck_id=TRUCK, customer_id=None)
    with pytest.raises(NotFound):
        require_order_scope(holder, order_id=uuid4(), truck_id=TRUCK, customer_id=None)


def test_only_the_orders_customer_owns_it() -> None:
    order_id, me = uuid4(), customer()
    holder = guest(order_id)
    assert owns_order(holder, order_id=order_id, customer_id=None)
    assert owns_order(me, order_id=order_id, customer_id=me.customer_id)
    assert not owns_order(me, order_id=order_id, customer_id=None)
    assert not owns_order(guest(uuid4()), order_id=order_id, customer_id=me.customer_id)
    assert require_order_owner(holder, order_id=order_id, customer_id=None) is holder
    with pytest.raises(NotFound):
        require_order_owner(me, order_id=order_id, customer_id=uuid4())


@pytest.mark.parametrize("principal", [staff(Role.OWNER, TRUCK), device(TRUCK)])
def test_the_fleet_never_owns_a_customers_order(principal: Principal) -> None:
    assert not owns_order(principal, order_id=uuid4(), customer_id=uuid4())
    with pytest.raises(PermissionDenied):
        require_order_owner(principal, order_id=uuid4(), customer_id=None)


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [(staff(Role.CREW, TRUCK), True), (staff(Role.CREW, OTHER), False), (device(TRUCK), True)],
)
def test_the_fleet_sees_the_orders_of_trucks_in_its_scope(
    principal: Principal, allowed: bool
) -> None:
    seen = can_see_order(principal, order_id=uuid4(), truck_id=TRUCK, customer_id=uuid4())
    assert seen is allowed


def test_principals_keep_their_kind_on_the_wire() -> None:
    for principal in [customer(), guest(), staff(Role.CREW), device(TRUCK)]:
        assert msgspec.convert(msgspec.to_builtins(principal), Principal) == principal


@pytest.mark.parametrize(
    ("principal", "trucks"),
    [
        (staff(Role.OWNER), None),
        (staff(Role.ADMIN), None),
        (staff(Role.MANAGER, TRUCK), frozenset({TRUCK})),
    ],
    ids=["owner", "admin", "manager"],
)
def test_the_audit_trail_is_read_whole_by_owners_and_admins_by_truck_by_managers(
    principal: Principal, trucks: frozenset[object] | None
) -> None:
    assert audit_scope(principal) == trucks


@pytest.mark.parametrize(
    ("principal", "trucks"),
    [
        (staff(Role.OWNER), None),
        (staff(Role.ADMIN), None),
        (staff(Role.MANAGER, TRUCK), frozenset({TRUCK})),
    ],
    ids=["owner", "admin", "manager"],
)
def test_owners_and_admins_read_the_fleets_business_managers_their_trucks(
    principal: Principal, trucks: frozenset[object] | None
) -> None:
    assert business_scope(principal) == trucks


@pytest.mark.parametrize(
    "principal", [staff(Role.CREW, TRUCK), device(TRUCK)], ids=["crew", "device"]
)
def test_crew_and_devices_may_not_read_the_business(principal: Principal) -> None:
    with pytest.raises(PermissionDenied):
        business_scope(principal)


@pytest.mark.parametrize(
    "principal", [staff(Role.CREW, TRUCK), device(TRUCK)], ids=["crew", "device"]
)
def test_crew_and_devices_may_not_read_the_audit_trail(principal: Principal) -> None:
    with pytest.raises(PermissionDenied):
        audit_scope(principal)
