from __future__ import annotations

import pytest

from fusionx.core.errors import AuthenticationRequired, InvalidInput, NotFound, PermissionDenied
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import Principal, StaffPrincipal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.model.trucks import Truck
from fusionx.core.use_cases.commands.register_device import RegisterDevice, RegisteredDevice
from fusionx.core.use_cases.commands.revoke_device import RevokeDevice
from fusionx.core.use_cases.queries.authenticate import Authenticate
from fusionx.core.use_cases.queries.list_truck_devices import ListTruckDevices
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import RegisterDeviceRequestFactory, make_staff, make_truck


def as_principal(staff: StaffMember) -> StaffPrincipal:
    return StaffPrincipal(staff=staff, token_id=staff.id)


async def register(adapters: Adapters, principal: Principal, truck: Truck) -> RegisteredDevice:
    return await RegisterDevice(adapters.uow(), adapters.clock, adapters.ids).execute(
        principal, RegisterDeviceRequestFactory.build(truck_id=truck.id)
    )


async def test_a_manager_registers_a_device_whose_credential_authenticates_as_it(
    adapters: Adapters,
) -> None:
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])

    registered = await register(adapters, as_principal(manager), truck)

    principal = await Authenticate(adapters.uow(), adapters.clock).execute(registered.credential)
    assert registered.credential.startswith("fxd_")
    assert principal.device.id == registered.device.id  # type: ignore[union-attr]
    assert registered.device.registered_by == manager.id


async def test_crew_may_not_register_devices(adapters: Adapters) -> None:
    truck = await make_truck(adapters)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[truck])

    with pytest.raises(PermissionDenied):
        await register(adapters, as_principal(crew), truck)


async def test_another_trucks_manager_is_told_the_truck_does_not_exist(adapters: Adapters) -> None:
    mine, theirs = await make_truck(adapters, "Mine"), await make_truck(adapters, "Theirs")
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[mine])

    with pytest.raises(NotFound):
        await register(adapters, as_principal(manager), theirs)


async def test_an_owner_acts_on_every_truck(adapters: Adapters) -> None:
    truck = await make_truck(adapters)
    owner = await make_staff(adapters, role=Role.OWNER)

    assert (await register(adapters, as_principal(owner), truck)).device.truck_id == truck.id


async def test_a_blank_label_is_refused_naming_the_field(adapters: Adapters) -> None:
    truck = await make_truck(adapters)
    owner = await make_staff(adapters, role=Role.OWNER)

    with pytest.raises(InvalidInput) as error:
        await RegisterDevice(adapters.uow(), adapters.clock, adapters.ids).execute(
            as_principal(owner), RegisterDeviceRequestFactory.build(truck_id=truck.id, label="  ")
        )
    assert error.value.field == "label"


async def test_revoking_a_device_locks_its_credential_out(adapters: Adapters) -> None:
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    registered = await register(adapters, as_principal(manager), truck)

    revoked = await RevokeDevice(adapters.uow(), adapters.clock).execute(
        as_principal(manager), registered.device.id
    )

    assert revoked.revoked_at == adapters.clock.now()
    with pytest.raises(AuthenticationRequired):
        await Authenticate(adapters.uow(), adapters.clock).execute(registered.credential)


async def test_a_device_of_another_truck_cannot_be_revoked_or_listed(adapters: Adapters) -> None:
    mine, theirs = await make_truck(adapters, "Mine"), await make_truck(adapters, "Theirs")
    owner = await make_staff(adapters, role=Role.OWNER)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[mine])
    device = (await register(adapters, as_principal(owner), theirs)).device

    with pytest.raises(NotFound):
        await RevokeDevice(adapters.uow(), adapters.clock).execute(as_principal(manager), device.id)
    with pytest.raises(NotFound):
        await ListTruckDevices(adapters.uow()).execute(
            as_principal(manager), theirs.id, PageRequest()
        )


async def test_listing_pages_through_a_trucks_devices(adapters: Adapters) -> None:
    truck = await make_truck(adapters)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[truck])
    owner = await make_staff(adapters, role=Role.OWNER)
    ids = [(await register(adapters, as_principal(owner), truck)).device.id for _ in range(3)]

    page = await ListTruckDevices(adapters.uow()).execute(
        as_principal(crew), truck.id, PageRequest(limit=2, offset=1)
    )

    assert [d.id for d in page.items] == ids[1:]
    assert page.total == 3


@pytest.mark.parametrize(
    ("limit", "offset", "field"), [(0, 0, "limit"), (201, 0, "limit"), (10, -1, "offset")]
)
def test_pages_are_bounded_whichever_way_the_request_came_in(
    limit: int, offset: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        PageRequest(limit=limit, offset=offset)
    assert error.value.field == field
