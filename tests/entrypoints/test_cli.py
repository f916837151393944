"""The CLI against a real embedded SQLite database, as an operator would use it."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest

from fusionx.entrypoints.cli import main


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FUSIONX_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FUSIONX_DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out.strip(), err.strip()


def test_db_upgrade_creates_the_embedded_database(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0
    assert (data_dir / "fusionx.db").exists()


def test_bootstrap_a_truck_and_its_manager(capsys: pytest.CaptureFixture[str]) -> None:
    status, truck_id, _ = run(capsys, "create-truck", "--name", "Taco Titan")
    assert status == 0
    UUID(truck_id)

    status, staff_id, _ = run(
        capsys,
        "create-staff", "--email", "ana@example.test", "--password", "a long password",
        "--name", "Ana", "--role", "manager", "--truck", truck_id,
    )  # fmt: skip
    assert status == 0
    assert UUID(staff_id).version == 7


def test_create_location_prints_its_id(capsys: pytest.CaptureFixture[str]) -> None:
    status, location_id, _ = run(
        capsys, "create-location", "--name", "Market", "--timezone", "Europe/Paris",
        "--latitude", "48.85", "--longitude", "2.35",
    )  # fmt: skip
    assert status == 0
    UUID(location_id)


def test_a_rule_broken_on_the_command_line_is_one_line_without_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "create-location", "--name", "M", "--timezone", "Nowhere/X")
    assert status == 2
    assert out == ""
    assert err == "fusionx: timezone: 'Nowhere/X' is not an IANA time zone"


def test_a_duplicate_email_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["create-staff", "--email", "bo@example.test", "--password", "a long password"]
    assert run(capsys, *args, "--name", "Bo", "--role", "owner")[0] == 0
    status, _, err = run(
        capsys, *args[:2], "BO@example.test", *args[3:], "--name", "B", "--role", "crew"
    )
    assert status == 2
    assert "email" in err


def test_a_bad_setting_stops_the_command_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FUSIONX_DATABASE_URL", "mysql://db/x")
    status, _, err = run(capsys, "db", "upgrade")
    assert status == 2
    assert err.startswith("fusionx: FUSIONX_DATABASE_URL: 'mysql://db/x' is not allowed; expected ")


def test_seeding_demo_data_twice_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    status, first, _ = run(capsys, "seed", "--demo")
    assert status == 0
    assert "owner@demo.fusionx.test" in first
    status, second, _ = run(capsys, "seed", "--demo")
    assert status == 0
    assert "nothing changed" in second
    assert "owner@demo.fusionx.test" in second
