from __future__ import annotations

import msgspec
import pytest

from fusionx.core.model.staff import Role
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_staff_member, a_truck, new_id


async def test_a_staff_member_round_trips_with_every_field(uow_factory: UnitOfWorkFactory) -> None:
    trucks = [a_truck("Taco Tuesday"), a_truck("Crêpe Cart")]
    staff = a_staff_member(truck_ids=frozenset(t.id for t in trucks))
    async with uow_factory() as uow:
        for truck in trucks:
            await uow.trucks.add(truck)
        await uow.staff.add(staff)
        await uow.commit()

    async with uow_factory() as uow:
        stored = await uow.staff.get(staff.id)

    assert stored == staff
    assert stored is not None
    assert stored.truck_ids == frozenset(t.id for t in trucks)
    assert stored.created_at.utcoffset() is not None
    assert stored.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


async def test_optional_fields_round_trip_empty(uow_factory: UnitOfWorkFactory) -> None:
    staff = a_staff_member(phone=None, truck_ids=frozenset(), active=False, role=Role.CREW)
    async with uow_factory() as uow:
        await uow.staff.add(staff)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.staff.get(staff.id) == staff
        assert await uow.staff.get(new_id()) is None


async def test_email_lookup_ignores_case_and_keeps_the_email_as_typed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    staff = a_staff_member("Ana.Lopez@Example.io")
    async with uow_factory() as uow:
        await uow.staff.add(staff)
        await uow.commit()

    async with uow_factory() as uow:
        found = await uow.staff.get_by_email("ana.lopez@EXAMPLE.IO")
        missing = await uow.staff.get_by_email("ana@example.io")

    assert found == staff
    assert found is not None
    assert found.email == "Ana.Lopez@Example.io"
    assert missing is None


async def test_emails_differing_only_in_case_are_one_email(uow_factory: UnitOfWorkFactory) -> None:
    first = a_staff_member("A@x.io")
    async with uow_factory() as uow:
        await uow.staff.add(first)
        with pytest.raises(UniqueViolation) as raised:
            await uow.staff.add(a_staff_member("a@X.io"))
        # The violation costs only the failed write: the unit of work goes on.
        await uow.commit()

    assert raised.value.field == "email"
    async with uow_factory() as uow:
        assert await uow.staff.get(first.id) == first


async def test_a_committed_email_cannot_be_taken_again(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.staff.add(a_staff_member("A@x.io"))
        await uow.commit()

    async with uow_factory() as uow:
        with pytest.raises(UniqueViolation) as raised:
            await uow.staff.add(a_staff_member("a@X.io"))
    assert raised.value.field == "email"


async def test_update_replaces_the_account_and_its_trucks(uow_factory: UnitOfWorkFactory) -> None:
    first, second, third = a_truck("A"), a_truck("B"), a_truck("C")
    staff = a_staff_member(truck_ids=frozenset({first.id, second.id}))
    async with uow_factory() as uow:
        for truck in (first, second, third):
            await uow.trucks.add(truck)
        await uow.staff.add(staff)
        await uow.commit()

    changed = msgspec.structs.replace(
        staff,
        email="ANA.LOPEZ@example.io",
        name="Ana María López",
        role=Role.ADMIN,
        password_hash="fake-sha256$feedbeef",
        phone=None,
        active=False,
        truck_ids=frozenset({second.id, third.id}),
    )
    async with uow_factory() as uow:
        await uow.staff.update(changed)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.staff.get(staff.id) == changed
        cleared = msgspec.structs.replace(changed, truck_ids=frozenset())
        await uow.staff.update(cleared)
        assert await uow.staff.get(staff.id) == cleared


async def test_update_cannot_take_another_members_email(uow_factory: UnitOfWorkFactory) -> None:
    ana, bo = a_staff_member("ana@x.io"), a_staff_member("bo@x.io")
    async with uow_factory() as uow:
        await uow.staff.add(ana)
        await uow.staff.add(bo)
        await uow.commit()

    async with uow_factory() as uow:
        with pytest.raises(UniqueViolation) as raised:
            await uow.staff.update(msgspec.structs.replace(bo, email="ANA@x.io"))
        assert await uow.staff.get(bo.id) == bo
    assert raised.value.field == "email"


async def test_count_is_every_account_active_or_not(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.staff.count() == 0
        await uow.staff.add(a_staff_member("one@example.io"))
        await uow.staff.add(a_staff_member("two@example.io", active=False))
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.staff.count() == 2
