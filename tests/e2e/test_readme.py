"""The README's shell blocks, run as written against a real ``fusionx serve``.

Two things are changed, and only these: the port (the tests cannot count on 8000 being
free) and ``nox -s fusionx --``, which becomes the ``fusionx`` command of this
environment, the very command that session runs (checked below against the noxfile).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.postgres import scratch_database
from tests.support.served import Server, clean_environment, free_port

ROOT = Path(__file__).resolve().parents[2]
FUSIONX = str(Path(sys.executable).parent / "fusionx")


def readme_block(containing: str) -> str:
    """The README's one ``sh`` block that contains ``containing``."""
    blocks = re.findall(r"^```sh\n(.*?)^```", (ROOT / "README.md").read_text(), re.M | re.S)
    (block,) = [b for b in blocks if containing in b]
    return str(block)


def as_run_here(block: str, port: int) -> str:
    return block.replace("localhost:8000", f"localhost:{port}").replace(
        "nox -s fusionx --", FUSIONX
    )


def bash(script: str, env: dict[str, str], stdin: str = "") -> str:
    done = subprocess.run(  # noqa: S603 - the README's own commands
        ["bash", "-euo", "pipefail", "-c", script],  # noqa: S607 - bash from PATH, as a reader's
        env=env, input=stdin, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``nox -s serve``: the README's first set-up command, on a fresh data directory."""
    data_dir = tmp_path_factory.mktemp("readme")
    port = free_port()
    env = clean_environment(FUSIONX_DATA_DIR=str(data_dir), FUSIONX_LOG_FORMAT="json")
    argv = [FUSIONX, "serve", "--demo", "--port", str(port)]
    with Server(env, data_dir / "log", argv=argv, port=port) as server:
        yield server


def test_the_nox_sessions_run_the_commands_the_tests_run() -> None:
    noxfile = (ROOT / "noxfile.py").read_text()

    assert 'session.run("fusionx", "serve", "--demo", *session.posargs)' in noxfile
    assert 'session.run("fusionx", *session.posargs)' in noxfile


def _events(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith('{"seq":')]


@pytest.mark.parametrize("run", ["first", "again"])
def test_the_walk_through_ends_with_the_moved_ticket_seen_on_the_stream(
    demo_server: Server, run: str
) -> None:
    script = as_run_here(readme_block("/api/v1/auth/login"), demo_server.port)

    output = bash(script, clean_environment())

    events = _events(output)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "shift.opened"
    created = [e for e in events if e["type"] == "order.created"][-1]
    moved = events[-1]
    assert moved["type"] == "ticket.state_changed"
    assert (moved["data"]["from"], moved["data"]["to"]) == ("new", "in_prep")
    assert moved["data"]["ticket_id"] == created["data"]["ticket"]["id"]
    assert created["data"]["order"]["lines"][0]["quantity"] == 2


@pytest.fixture
async def empty_postgres() -> AsyncIterator[str]:
    async with scratch_database("fusionx_readme") as url:
        yield url


@pytest.mark.postgres
def test_running_it_for_real_works_as_written(empty_postgres: str, tmp_path: Path) -> None:
    port = free_port()
    block = readme_block("db upgrade").replace(
        "postgresql+asyncpg://fusionx@db.internal/fusionx", empty_postgres
    )
    setup, _, serve = as_run_here(block, port).rstrip().rpartition("\n")
    env = clean_environment()

    bash(setup, env, stdin="a long enough password\n")

    argv = shlex.split(serve.replace("--port 8000", f"--port {port}"))
    env |= {"FUSIONX_DATABASE_URL": empty_postgres}
    with Server(env, tmp_path / "log", argv=argv, port=port):
        login = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/login",
            json={"email": "ana@example.com", "password": "a long enough password"},
        )
        assert login.status_code == 200, login.text
        me = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/me/trucks",
            headers={"Authorization": f"Bearer {login.json()['token']}"},
        )
        assert [truck["name"] for truck in me.json()["items"]] == ["Taco Titan"]
