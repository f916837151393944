"""The demo fleet: seeded once, described the same every time, and usable."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
import pytest

from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import DevicePrincipal
from fusionx.core.use_cases.authenticate import Authenticate
from fusionx.core.use_cases.create_truck import CreateTruck, CreateTruckRequest
from fusionx.core.use_cases.log_in import LogIn, LogInRequest
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.cli import main
from fusionx.entrypoints.demo_data import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_data
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


async def test_records_already_there_are_reused_by_name(adapters: Adapters) -> None:
    truck = await CreateTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
        CreateTruckRequest(name="Taco Titan")
    )

    fleet = await seed_demo_data(adapters)

    assert fleet.trucks[0].id == truck.id
    assert (await record_counts(adapters))["trucks"] == 2


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
