from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from fusionx.core.errors import PermissionDenied
from fusionx.core.model.devices import Device, Platform
from fusionx.core.model.principals import DevicePrincipal, StaffPrincipal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.access import can_act_on_truck, require_staff

TRUCK, OTHER = uuid4(), uuid4()
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def staff(role: Role, *trucks: object) -> StaffPrincipal:
    member = StaffMember(
        id=uuid4(),
        email="a@b.c",
        name="A",
        role=role,
        password_hash="x",
        created_at=NOW,
        truck_ids=frozenset(trucks),  # type: ignore[arg-type]
    )
    return StaffPrincipal(staff=member, token_id=uuid4())


def device(truck: object) -> DevicePrincipal:
    return DevicePrincipal(
        device=Device(
            id=uuid4(),
            truck_id=truck,
            label="KDS",
            platform=Platform.ANDROID,  # type: ignore[arg-type]
            app_version="1",
            os_version="14",
            registered_by=uuid4(),
            created_at=NOW,
        ),
        token_id=uuid4(),
    )


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        (staff(Role.CREW, TRUCK), True),
        (staff(Role.MANAGER, OTHER), False),
        (staff(Role.ADMIN), True),
        (staff(Role.OWNER), True),
        (device(TRUCK), True),
        (device(OTHER), False),
    ],
)
def test_truck_scope(principal: StaffPrincipal | DevicePrincipal, allowed: bool) -> None:
    assert can_act_on_truck(principal, TRUCK) is allowed


def test_devices_never_pass_a_staff_check() -> None:
    with pytest.raises(PermissionDenied):
        require_staff(device(TRUCK))


def test_roles_rank_owner_over_admin_over_manager_over_crew() -> None:
    require_staff(staff(Role.OWNER), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        require_staff(staff(Role.CREW), Role.MANAGER)
