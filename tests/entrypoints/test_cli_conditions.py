"""Every command against every condition an operator meets: one line on stderr and a
non-zero status, never a traceback. The embedded database migrates itself for every
command; any other database is migrated only by ``fusionx db upgrade``."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import granian
import pytest

from fusionx.entrypoints.cli import main
from tests.support.postgres import scratch_database
from tests.support.served import clean_environment, free_port, fusionx

UNREACHABLE = "postgresql+asyncpg://postgres@127.0.0.1:1/fusionx"
CLOSED_API = "http://127.0.0.1:1"

DATABASE_COMMANDS = {
    "db upgrade": ["db", "upgrade"],
    "create-truck": ["create-truck", "--name", "Taco Titan"],
    "create-location": ["create-location", "--name", "Quay", "--timezone", "Europe/London"],
    "create-staff": [
        "create-staff", "--email", "ana@example.test", "--password", "a long password",
        "--name", "Ana", "--role", "owner",
    ],
    "seed": ["seed", "--demo"],
    "serve": ["serve", "--port", str(free_port())],
}  # fmt: skip
CLIENT_COMMANDS = {
    "simulate": ["simulate", "--base-url", CLOSED_API, "--orders", "1"],
    "events": ["events", "--base-url", CLOSED_API, "--shift", str(UUID(int=1))],
}
COMMANDS = DATABASE_COMMANDS | CLIENT_COMMANDS


class GranianMustNotStart:
    def __init__(self, **_options: object) -> None:
        raise AssertionError("serve started granian in spite of the condition")


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("FUSIONX_") and "TEST" not in n]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("FUSIONX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(granian, "Granian", GranianMustNotStart)


def refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """The one line a refused command printed."""
    status = main(argv)
    out, err = capsys.readouterr()
    assert status != 0
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("fusionx: ")
    return err.strip()


# Each condition: what to set, and what the line says for the commands that use the
# database (client commands fail on their unreachable server, or on the setting).
CONDITIONS: dict[str, tuple[dict[str, str], str]] = {
    "unreachable database": ({"FUSIONX_DATABASE_URL": UNREACHABLE}, "database unreachable"),
    "unsupported database URL": (
        {"FUSIONX_DATABASE_URL": "mysql://app:hunter2@db/fusionx"},
        "FUSIONX_DATABASE_URL: 'mysql://app:***@db/fusionx' is not allowed",
    ),
    "malformed database URL": (
        {"FUSIONX_DATABASE_URL": "postgresql+asyncpg://app:hunter2@db:port/fusionx"},
        "FUSIONX_DATABASE_URL: the value given (a secret, not shown) is not allowed",
    ),
    "missing secret file": (
        {"FUSIONX_DATABASE_URL_FILE": "/no/such/secret"},
        "FUSIONX_DATABASE_URL_FILE: '/no/such/secret' is not allowed",
    ),
    "bad setting": ({"FUSIONX_WORKERS": "many"}, "FUSIONX_WORKERS: 'many' is not allowed"),
}


@pytest.mark.parametrize("condition", CONDITIONS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_meets_every_condition_in_one_line(
    command: str,
    condition: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    environ, says = CONDITIONS[condition]
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    line = refused(capsys, COMMANDS[command])

    assert "hunter2" not in line
    if command in DATABASE_COMMANDS or says.startswith("FUSIONX_"):
        assert says in line
    else:
        assert "cannot reach http://127.0.0.1:1" in line


@pytest.mark.parametrize("command", DATABASE_COMMANDS)
def test_a_data_directory_that_cannot_be_made_is_named(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("FUSIONX_DATA_DIR", str(tmp_path / "a-file" / "data"))

    line = refused(capsys, DATABASE_COMMANDS[command])

    assert line.endswith(
        f"cannot create the database directory {tmp_path}/a-file/data: Not a directory"
    )


@pytest.fixture
async def unmigrated_postgres() -> AsyncIterator[str]:
    async with scratch_database("fusionx_cli") as url:
        yield url


@pytest.mark.postgres
@pytest.mark.parametrize("command", [c for c in DATABASE_COMMANDS if c != "db upgrade"])
def test_an_unmigrated_postgres_database_stops_every_command_but_upgrade(
    command: str,
    unmigrated_postgres: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FUSIONX_DATABASE_URL", unmigrated_postgres)

    line = refused(capsys, DATABASE_COMMANDS[command])

    assert line.startswith("fusionx: database schema is empty")
    assert line.endswith("(run `fusionx db upgrade`)")
    assert main(["db", "upgrade"]) == 0
    assert main(DATABASE_COMMANDS["create-truck"]) == 0


@pytest.mark.parametrize(
    "command", [c for c in DATABASE_COMMANDS if c not in ("serve", "db upgrade")]
)
def test_the_embedded_database_migrates_itself_for_every_command(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(DATABASE_COMMANDS[command]) == 0, capsys.readouterr().err
    assert capsys.readouterr().err == ""


BAD_ARGUMENTS = {
    "serve": ["--port", "eighty"],
    "db upgrade": ["--now"],
    "create-truck": [],
    "create-location": ["--latitude", "north"],
    "create-staff": ["--role", "chef"],
    "seed": ["--demo", "--truck", "x"],
    "simulate": ["--orders", "0"],
    "events": ["--shift", "not-a-uuid"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_bad_arguments_are_argparse_usage_not_a_traceback(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [*COMMANDS[command], *BAD_ARGUMENTS[command]]
    if command in ("create-truck",):
        argv = argv[:1]  # its one required option left out

    with pytest.raises(SystemExit) as exit_:
        main(argv)

    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.splitlines()[0].startswith("usage: fusionx ")
    assert err.splitlines()[-1].startswith("fusionx")
    assert "error: " in err.splitlines()[-1]


@pytest.mark.parametrize("command", ["create-truck", "serve"])
def test_as_a_process_an_unreachable_database_is_one_line_and_status_2(
    command: str, tmp_path: Path
) -> None:
    env = clean_environment(FUSIONX_DATABASE_URL=UNREACHABLE)

    done = fusionx(env, *DATABASE_COMMANDS[command], check=False)

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("fusionx: database unreachable: ")
    assert len(done.stderr.splitlines()) == 1
