"""``fusionx audit verify`` and ``audit tail`` against a real database, SQLite and
PostgreSQL: the trail verifies, and stops verifying once a row is altered by hand."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from fusionx.adapters.sql import append_only
from fusionx.adapters.sql.engine import build_engine
from fusionx.entrypoints.cli import main
from tests.support.postgres import scratch_database

FORGED = "UPDATE fleet_events SET address = '198.51.100.66' WHERE stream = 'fleet' AND seq = 2"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The URL of an empty database the CLI is pointed at."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}"
        monkeypatch.setenv("FUSIONX_DATABASE_URL", url)
        yield url
        return
    loop = asyncio.new_event_loop()
    scratch = scratch_database("fusionx_cli_audit")
    try:
        url = loop.run_until_complete(scratch.__aenter__())
        monkeypatch.setenv("FUSIONX_DATABASE_URL", url)
        yield url
    finally:
        loop.run_until_complete(scratch.__aexit__(None, None, None))
        loop.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out.strip(), err.strip()


async def _alter_by_hand(url: str, statement: str) -> None:
    """As an administrator would: lift the trail's triggers, alter, put them back."""
    engine = build_engine(url, pooled=False)
    try:
        async with engine.begin() as connection:
            dialect = connection.dialect.name
            for lift in append_only.drop_statements(dialect):
                await connection.execute(text(lift))
            await connection.execute(text(statement))
            for restore in append_only.create_statements(dialect):
                await connection.execute(text(restore))
    finally:
        await engine.dispose()


def test_verify_passes_on_a_clean_trail_and_fails_after_a_row_is_altered(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0
    assert run(capsys, "create-truck", "--name", "Taco Titan")[0] == 0
    assert run(capsys, "create-location", "--name", "Plaza", "--timezone", "Europe/Paris")[0] == 0
    created = run(
        capsys,
        "create-staff", "--email", "ana@example.test", "--password", "a long password",
        "--name", "Ana", "--role", "owner",
    )  # fmt: skip
    assert created[0] == 0

    assert run(capsys, "audit", "verify") == (0, "audit trail intact: 3 records in 2 streams", "")

    asyncio.run(_alter_by_hand(database_url, FORGED))
    status, out, err = run(capsys, "audit", "verify")

    assert (status, out) == (1, "")
    assert err == (
        "audit trail broken: stream fleet at seq 2: content does not match its hash"
        " (after 1 record in 1 stream)"
    )


def test_the_trail_prints_one_record_a_line_whatever_users_typed(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0
    name = 'Plaza\n{"event": "request", "status": 200}\r\x1b[31mred'
    assert run(capsys, "create-location", "--name", name, "--timezone", "Europe/Paris")[0] == 0
    assert run(capsys, "create-truck", "--name", "Taco\nTitan")[0] == 0

    status, out, _ = run(capsys, "audit", "tail", "--limit", "5")

    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert "\x1b" not in out
    assert "\r" not in out
    assert '"name":"Plaza\\n{\\"event\\": \\"request\\", \\"status\\": 200}' in out
