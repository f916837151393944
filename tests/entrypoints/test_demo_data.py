"""The demo fleet: seeded once, described the same every time, usable from the first
order, and never mixed with data it did not make."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import Conflict
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import DevicePrincipal, StaffPrincipal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.use_cases.commands.check_in_truck import CheckInRequest, CheckInTruck
from fusionx.core.use_cases.commands.create_staff import CreateStaff, CreateStaffRequest
from fusionx.core.use_cases.commands.create_truck import CreateTruck, CreateTruckRequest
from fusionx.core.use_cases.commands.log_in import LogIn, LogInRequest
from fusionx.core.use_cases.queries.authenticate import Authenticate
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.cli import main
from fusionx.entrypoints.demo_data import (
    DEMO_ACCOUNTS,
    DEMO_OPENING_STOCK,
    DEMO_PASSWORD,
    demo_id,
)
from fusionx.entrypoints.demo_seeder import seed_demo_data
from fusionx.entrypoints.settings import load_settings


async def record_counts(adapters: Adapters) -> dict[str, int]:
    async with adapters.uow() as uow:
        trucks = await uow.trucks.list_all()
        devices = [await uow.devices.list_for_truck(t.id, PageRequest()) for t in trucks]
        return {
            "trucks": len(trucks),
            "locations": len(await uow.locations.list_all()),
            "categories": len(await uow.menu.categories()),
            "items": len(await uow.menu.items()),
            "devices": sum(page.total for page in devices),
        }


async def sign_in(adapters: Adapters, email: str) -> str:
    log_in = LogIn(
        adapters.uow(),
        hasher=adapters.hasher,
        clock=adapters.clock,
        ids=adapters.ids,
        session_ttl=timedelta(hours=1),
    )
    request = LogInRequest(email=email, password=DEMO_PASSWORD, client_address="127.0.0.1")
    return (await log_in.execute(request)).token


async def test_a_second_seed_adds_nothing_and_describes_the_same_fleet(
    adapters: Adapters,
) -> None:
    first = await seed_demo_data(adapters)
    counts = await record_counts(adapters)
    second = await seed_demo_data(adapters)

    assert (first.created, second.created) == (True, False)
    assert await record_counts(adapters) == counts
    assert counts == {"trucks": 2, "locations": 2, "categories": 4, "items": 11, "devices": 1}
    assert first.device.credential is not None
    assert second.device.credential is None
    assert msgspec.structs.replace(second, created=True, device=first.device) == first
    assert second.device.id == first.device.id


async def a_truck_of_yours(adapters: Adapters, name: str = "Taco Titan") -> UUID:
    create = CreateTruck(adapters.uow(), adapters.clock, adapters.ids)
    return (await create.execute(None, CreateTruckRequest(name=name))).id


async def test_a_database_holding_other_data_is_refused_and_left_as_it_was(
    adapters: Adapters,
) -> None:
    await a_truck_of_yours(adapters)
    before = await record_counts(adapters)

    with pytest.raises(Conflict, match="--alongside-other-data") as refused:
        await seed_demo_data(adapters)

    assert "1 truck" in str(refused.value)
    assert await record_counts(adapters) == before
    async with adapters.uow() as uow:
        assert await uow.staff.count() == 0


async def test_other_staff_accounts_alone_are_other_data(adapters: Adapters) -> None:
    await CreateStaff(adapters.uow(), adapters.hasher, adapters.clock, adapters.ids).execute(
        CreateStaffRequest(
            email="boss@example.test", password="a long password", name="B", role=Role.OWNER
        )
    )

    with pytest.raises(Conflict, match="1 staff account"):
        await seed_demo_data(adapters)


async def test_asked_to_seed_alongside_it_never_adopts_or_touches_a_namesake(
    adapters: Adapters,
) -> None:
    yours = await a_truck_of_yours(adapters)
    async with adapters.uow() as uow:
        as_it_was = await uow.trucks.get(yours)

    fleet = await seed_demo_data(adapters, alongside_other_data=True)

    assert yours not in {truck.id for truck in fleet.trucks}
    assert fleet.device.truck_id != yours
    async with adapters.uow() as uow:
        assert await uow.trucks.get(yours) == as_it_was
        assert (await uow.devices.list_for_truck(yours, PageRequest())).total == 0
        assert await uow.menu.truck_menu(yours) == []
        for account in fleet.accounts:
            staff = await uow.staff.get(account.id)
            assert staff is not None
            assert yours not in staff.truck_ids
    assert (await record_counts(adapters))["trucks"] == 3


async def test_once_seeded_on_purpose_it_tops_up_without_being_asked_again(
    adapters: Adapters,
) -> None:
    await seed_demo_data(adapters)
    await a_truck_of_yours(adapters, "Added while trying the demo")

    again = await seed_demo_data(adapters)

    assert again.created is False


async def test_a_demo_email_held_by_someone_elses_account_is_refused_even_when_asked(
    adapters: Adapters,
) -> None:
    await CreateStaff(adapters.uow(), adapters.hasher, adapters.clock, adapters.ids).execute(
        CreateStaffRequest(
            email=DEMO_ACCOUNTS[0][0], password="their own password", name="X", role=Role.OWNER
        )
    )

    with pytest.raises(Conflict, match=DEMO_ACCOUNTS[0][0]):
        await seed_demo_data(adapters, alongside_other_data=True)
    assert (await record_counts(adapters))["trucks"] == 0


async def test_every_demo_record_has_its_fixed_id(adapters: Adapters) -> None:
    fleet = await seed_demo_data(adapters)

    assert [t.id for t in fleet.trucks] == [demo_id("truck", t.name) for t in fleet.trucks]
    assert [a.id for a in fleet.accounts] == [demo_id("staff", a.email) for a in fleet.accounts]
    assert all(UUID(str(record.id)).version == 7 for record in [*fleet.trucks, *fleet.locations])


async def test_a_revoked_demo_device_is_replaced_by_a_new_one(adapters: Adapters) -> None:
    first = await seed_demo_data(adapters)
    async with adapters.uow() as uow:
        device = await uow.devices.get(first.device.id)
        assert device is not None
        await uow.devices.update(msgspec.structs.replace(device, revoked_at=adapters.clock.now()))
        await uow.commit()

    second = await seed_demo_data(adapters)

    assert second.device.id != first.device.id
    assert second.device.credential is not None


async def test_each_demo_truck_checks_in_with_every_item_in_stock(adapters: Adapters) -> None:
    fleet = await seed_demo_data(adapters)
    manager = await _staff(adapters, fleet.accounts[1].id)
    items = {item.id for category in fleet.categories for item in category.items}

    shift = await CheckInTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
        StaffPrincipal(staff=manager, token_id=adapters.ids.new_id()),
        CheckInRequest(truck_id=fleet.trucks[0].id, location_id=fleet.locations[0].id),
    )

    async with adapters.uow() as uow:
        assert await uow.stock.levels(shift.id) == dict.fromkeys(items, DEMO_OPENING_STOCK)


@pytest.mark.parametrize("hour", range(0, 24, 5))
async def test_demo_trucks_have_hours_that_keep_them_open_for_the_crew(
    adapters: Adapters, clock: ManualClock, hour: int
) -> None:
    fleet = await seed_demo_data(adapters)
    crew = await _staff(adapters, fleet.accounts[2].id)
    async with adapters.uow() as uow:
        assert (await uow.hours.for_truck(fleet.trucks[0].id)).is_set
    clock.advance(timedelta(hours=(hour - clock.now().hour) % 24))

    shift = await CheckInTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
        StaffPrincipal(staff=crew, token_id=adapters.ids.new_id()),
        CheckInRequest(truck_id=fleet.trucks[0].id, location_id=fleet.locations[0].id),
    )

    assert shift.truck_id == fleet.trucks[0].id


async def _staff(adapters: Adapters, staff_id: UUID) -> StaffMember:
    async with adapters.uow() as uow:
        staff = await uow.staff.get(staff_id)
    assert staff is not None
    return staff


async def test_every_demo_account_signs_in_and_the_device_credential_works(
    adapters: Adapters,
) -> None:
    fleet = await seed_demo_data(adapters)

    for email, _, _ in DEMO_ACCOUNTS:
        assert (await sign_in(adapters, email)).startswith("fxs_")
    assert fleet.device.credential is not None
    principal = await Authenticate(adapters.uow(), adapters.clock).execute(fleet.device.credential)
    assert isinstance(principal, DevicePrincipal)
    assert principal.device.truck_id == fleet.trucks[0].id


async def test_prices_are_whole_cents_and_no_shift_is_opened(adapters: Adapters) -> None:
    fleet = await seed_demo_data(adapters)

    prices = [item.price_cents for c in fleet.categories for item in c.items]
    assert all(isinstance(p, int) and p > 0 for p in prices)
    async with adapters.uow() as uow:
        assert await uow.shifts.open_for_truck(fleet.trucks[0].id) is None


class TestThroughTheCli:
    @pytest.fixture(autouse=True)
    def data_dir(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        monkeypatch.setenv("FUSIONX_DATA_DIR", str(tmp_path))
        monkeypatch.delenv("FUSIONX_DATABASE_URL", raising=False)
        assert main(["db", "upgrade"]) == 0
        return tmp_path

    @staticmethod
    def seed(capsys: pytest.CaptureFixture[str], *flags: str) -> str:
        capsys.readouterr()
        assert main(["seed", "--demo", *flags]) == 0
        out, err = capsys.readouterr()
        assert err == ""
        return out

    def test_json_is_one_object_with_every_id(self, capsys: pytest.CaptureFixture[str]) -> None:
        fleet: dict[str, Any] = json.loads(self.seed(capsys, "--json"))

        assert fleet["created"] is True
        assert fleet["password"] == DEMO_PASSWORD
        assert [a["email"] for a in fleet["accounts"]] == [e for e, _, _ in DEMO_ACCOUNTS]
        ids = [
            *(t["id"] for t in fleet["trucks"]),
            *(loc["id"] for loc in fleet["locations"]),
            *(c["id"] for c in fleet["categories"]),
            *(i["id"] for c in fleet["categories"] for i in c["items"]),
            fleet["device"]["id"],
        ]
        assert len({UUID(i) for i in ids}) == len(ids) == 2 + 2 + 4 + 11 + 1
        assert fleet["device"]["credential"].startswith("fxd_")

    def test_seeding_twice_changes_nothing(self, capsys: pytest.CaptureFixture[str]) -> None:
        first = json.loads(self.seed(capsys, "--json"))
        second = json.loads(self.seed(capsys, "--json"))

        assert second["created"] is False
        assert second["device"]["credential"] is None
        for fleet in (first, second):
            del fleet["created"], fleet["device"]["credential"]
        assert second == first

    def test_the_human_output_names_accounts_password_and_ids(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        first = self.seed(capsys)
        again = self.seed(capsys)

        for email, _, _ in DEMO_ACCOUNTS:
            assert email in first
            assert email in again
        assert DEMO_PASSWORD in again
        assert "credential (shown once" in first
        assert "already present, nothing changed" in again
        assert "printed by the run that registered it" in again

    def test_the_demo_manager_signs_in_against_the_seeded_database(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        self.seed(capsys)

        async def manager_token() -> str:
            adapters = sql_adapters(load_settings())
            try:
                return await sign_in(adapters, "manager@demo.fusionx.test")
            finally:
                for hook in adapters.on_shutdown:
                    await hook()

        assert asyncio.run(manager_token()).startswith("fxs_")
