from __future__ import annotations

import pytest

from fusionx.core.errors import Conflict, InvalidInput, NotFound
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.create_location import CreateLocation, CreateLocationRequest
from fusionx.core.use_cases.commands.create_staff import CreateStaff, CreateStaffRequest
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import PASSWORD, make_staff


def create_staff(adapters: Adapters) -> CreateStaff:
    return CreateStaff(adapters.uow(), adapters.hasher, adapters.clock, adapters.ids)


async def test_emails_are_unique_regardless_of_case(adapters: Adapters) -> None:
    await make_staff(adapters, email="Chef@Example.test")

    with pytest.raises(Conflict) as error:
        await make_staff(adapters, email="chef@example.TEST")
    assert error.value.context == {"field": "email"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"name": "   "}, "name"),
    ],
)
async def test_bad_staff_values_are_refused_naming_the_field(
    adapters: Adapters, changes: dict[str, str], field: str
) -> None:
    values = {"email": "a@example.test", "password": PASSWORD, "name": "Ana", "role": Role.CREW}
    with pytest.raises(InvalidInput) as error:
        await create_staff(adapters).execute(CreateStaffRequest(**(values | changes)))  # type: ignore[arg-type]
    assert error.value.field == field


async def test_staff_cannot_be_assigned_to_a_truck_that_does_not_exist(adapters: Adapters) -> None:
    with pytest.raises(NotFound):
        await create_staff(adapters).execute(
            CreateStaffRequest(
                email="a@example.test",
                password=PASSWORD,
                name="Ana",
                role=Role.CREW,
                truck_ids=frozenset({adapters.ids.new_id()}),
            )
        )


async def test_the_password_is_stored_only_as_a_hash(adapters: Adapters) -> None:
    staff = await make_staff(adapters)
    assert PASSWORD not in staff.password_hash


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"latitude": 91.0, "longitude": 0.0}, "latitude"),
        ({"latitude": 10.0}, "longitude"),
    ],
)
async def test_bad_locations_are_refused_naming_the_field(
    adapters: Adapters, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"name": "Market", "timezone": "Europe/Paris"}
    with pytest.raises(InvalidInput) as error:
        await CreateLocation(adapters.uow(), adapters.clock, adapters.ids).execute(
            None,
            CreateLocationRequest(**(values | changes)),  # type: ignore[arg-type]
        )
    assert error.value.field == field
