"""Authentication's one read: a token with the staff member or device it belongs to."""

from __future__ import annotations

from fusionx.core.model.credentials import PrincipalKind
from fusionx.ports.repositories.access_tokens import TokenHolder
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_device, a_staff_member, a_token, a_truck, new_id
from tests.support.factories import DeviceFactory, StaffMemberFactory, TruckFactory


async def test_a_token_comes_with_its_staff_member_or_device(
    uow_factory: UnitOfWorkFactory, read_with: UnitOfWorkFactory
) -> None:
    trucks = [a_truck("One"), a_truck("Two")]
    crew = a_staff_member(truck_ids=frozenset(t.id for t in trucks))
    loner = a_staff_member("solo@example.io", active=False)
    tablet = a_device(trucks[0].id, crew.id)
    session, idle = a_token(crew.id, "aa" * 32), a_token(loner.id, "bb" * 32)
    device = a_token(tablet.id, "cc" * 32, kind=PrincipalKind.DEVICE, expires_at=None)
    async with uow_factory() as uow:
        for truck in trucks:
            await uow.trucks.add(truck)
        await uow.staff.add(crew)
        await uow.staff.add(loner)
        await uow.devices.add(tablet)
        for token in (session, idle, device):
            await uow.tokens.add(token)
        await uow.commit()

    async with read_with() as uow:
        assert await uow.tokens.get_with_holder("aa" * 32) == TokenHolder(
            token=session, subject=crew
        )
        assert await uow.tokens.get_with_holder("bb" * 32) == TokenHolder(token=idle, subject=loner)
        assert await uow.tokens.get_with_holder("cc" * 32) == TokenHolder(
            token=device, subject=tablet
        )
        assert await uow.tokens.get_with_holder("dd" * 32) is None


async def test_the_kind_says_where_the_holder_is(
    uow_factory: UnitOfWorkFactory, read_with: UnitOfWorkFactory
) -> None:
    truck = a_truck()
    staff = a_staff_member()
    tablet = a_device(truck.id, staff.id)
    # Credentials whose subject is of the other kind, or gone, have no holder.
    as_device = a_token(staff.id, "aa" * 32, kind=PrincipalKind.DEVICE)
    as_staff = a_token(tablet.id, "bb" * 32)
    orphan = a_token(new_id(), "cc" * 32)
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.staff.add(staff)
        await uow.devices.add(tablet)
        for token in (as_device, as_staff, orphan):
            await uow.tokens.add(token)
        await uow.commit()

    async with read_with() as uow:
        for token in (as_device, as_staff, orphan):
            found = await uow.tokens.get_with_holder(token.token_hash)
            assert found == TokenHolder(token=token, subject=None)


async def test_a_credential_stands_only_for_the_holder_its_kind_names(
    uow_factory: UnitOfWorkFactory, read_with: UnitOfWorkFactory
) -> None:
    truck = TruckFactory.build()
    staff = StaffMemberFactory.build(truck_ids=frozenset({truck.id}))
    tablet = DeviceFactory.build(truck_id=truck.id, registered_by=staff.id)
    # No credential of another kind (a gateway's, a customer's) may stand for a device or
    # a staff member whose id it names.
    others = [
        a_token(subject.id, f"{n:02x}{k:02x}" * 16, kind=kind)
        for n, subject in enumerate((staff, tablet), start=1)
        for k, kind in enumerate(PrincipalKind)
        if kind not in (PrincipalKind.STAFF, PrincipalKind.DEVICE)
    ]
    assert others
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.staff.add(staff)
        await uow.devices.add(tablet)
        for token in others:
            await uow.tokens.add(token)
        await uow.commit()

    async with read_with() as uow:
        for token in others:
            found = await uow.tokens.get_with_holder(token.token_hash)
            assert found == TokenHolder(token=token, subject=None)
