"""Searching the staff and reading the active owners: the same answers on every backend."""

from __future__ import annotations

from uuid import UUID

from fusionx.core.model.paging import PageRequest
from fusionx.core.model.staff import Role, StaffFilter, StaffMember, StaffScope
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_staff_member, a_truck


async def _seed(uow_factory: UnitOfWorkFactory) -> tuple[list[StaffMember], list[UUID]]:
    trucks = [a_truck("Taco"), a_truck("Curry")]
    taco, curry = trucks[0].id, trucks[1].id
    people = [
        a_staff_member("ana@fleet.test", name="Ana Ruiz", role=Role.OWNER, truck_ids=frozenset()),
        a_staff_member(
            "bo@fleet.test", name="Bo Chen", role=Role.MANAGER, truck_ids=frozenset({taco})
        ),
        a_staff_member(
            "cy@fleet.test", name="Cy Diaz", role=Role.CREW, truck_ids=frozenset({taco})
        ),
        a_staff_member(
            "di@fleet.test", name="Di Evans", role=Role.CREW, truck_ids=frozenset({curry})
        ),
        a_staff_member(
            "ed@fleet.test",
            name="Ed Fox",
            role=Role.CREW,
            truck_ids=frozenset({taco, curry}),
            active=False,
        ),
        a_staff_member(
            "fa@fleet.test", name="Fa Gold", role=Role.MANAGER, truck_ids=frozenset({taco})
        ),
        a_staff_member("gu@other.test", name="Gu Hale", role=Role.OWNER, active=False),
    ]
    async with uow_factory() as uow:
        for truck in trucks:
            await uow.trucks.add(truck)
        for person in people:
            await uow.staff.add(person)
        await uow.commit()
    return people, [taco, curry]


async def _names(uow_factory: UnitOfWorkFactory, criteria: StaffFilter) -> list[str]:
    async with uow_factory() as uow:
        page = await uow.staff.search(criteria, PageRequest())
    assert page.total == len(page.items)
    return [person.name for person in page.items]


async def test_every_criterion_narrows_the_search_as_the_model_says(
    uow_factory: UnitOfWorkFactory,
) -> None:
    people, (taco, curry) = await _seed(uow_factory)
    manager = people[1]
    criteria = [
        StaffFilter(),
        StaffFilter(text="DI"),
        StaffFilter(text="other.TEST"),
        StaffFilter(text="%"),
        StaffFilter(role=Role.CREW),
        StaffFilter(active=False),
        StaffFilter(active=True, role=Role.OWNER),
        StaffFilter(truck_id=curry),
        StaffFilter(scope=StaffScope(truck_ids=manager.truck_ids, me=manager.id)),
        StaffFilter(scope=StaffScope(truck_ids=frozenset({taco}), me=manager.id), active=True),
    ]
    for criterion in criteria:
        expected = sorted(p.name for p in people if criterion.matches(p))
        assert await _names(uow_factory, criterion) == expected, criterion
    # The model itself, on a few of them: the crew of Taco and the manager, never Fa.
    scope = StaffScope(truck_ids=manager.truck_ids, me=manager.id)
    assert await _names(uow_factory, StaffFilter(scope=scope)) == ["Bo Chen", "Cy Diaz", "Ed Fox"]
    assert await _names(uow_factory, StaffFilter(text="DI")) == ["Cy Diaz", "Di Evans"]


async def test_the_search_is_paged_by_name_with_the_whole_count(
    uow_factory: UnitOfWorkFactory,
) -> None:
    people, _ = await _seed(uow_factory)
    async with uow_factory() as uow:
        page = await uow.staff.search(StaffFilter(), PageRequest(limit=2, offset=2))

    assert page.total == len(people)
    assert [p.name for p in page.items] == ["Cy Diaz", "Di Evans"]
    assert page.items[1] == people[3]  # whole, truck assignments included


async def test_the_active_owners_are_the_owners_not_deactivated(
    uow_factory: UnitOfWorkFactory,
) -> None:
    people, _ = await _seed(uow_factory)
    async with uow_factory() as uow:
        assert await uow.staff.lock_active_owners() == {people[0].id}
        await uow.staff.update(people[1].with_role(Role.OWNER))
        assert await uow.staff.lock_active_owners() == {people[0].id, people[1].id}
