"""What a worker loads: libraries of features that are not configured stay out of memory."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from fusionx.adapters.sql.migrations.revisions import HEAD_REVISION

_PROBE = """
import json, sys
from fusionx.entrypoints.http.asgi import app_from_environment
app_from_environment()
print(json.dumps(sorted(name for name in sys.modules if "." not in name)))
"""


def _worker_modules(tmp_path: Path) -> set[str]:
    """The top-level modules a worker holds once its app is built, without push or SMS."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not (name.startswith("FUSIONX_") and ("APNS" in name or "SMS" in name))
    }
    env["FUSIONX_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    loaded = subprocess.run(  # noqa: S603 - this interpreter, our own snippet
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(loaded.stdout.splitlines()[-1]))


def test_a_worker_without_push_or_sms_providers_loads_no_http_client(tmp_path: Path) -> None:
    assert not _worker_modules(tmp_path) & {"httpx", "jwt", "h2"}


def test_a_worker_leaves_the_job_queue_to_fusionx_worker(tmp_path: Path) -> None:
    # procrastinate and psycopg are for `fusionx worker` on PostgreSQL alone.
    assert not _worker_modules(tmp_path) & {"procrastinate", "psycopg", "psycopg_pool"}


def test_a_worker_leaves_migrating_to_the_cli(tmp_path: Path) -> None:
    # Readiness compares revisions without alembic, which would cost every worker ~8 MB.
    assert not _worker_modules(tmp_path) & {"alembic", "mako"}


# `fusionx serve` up to the moment granian would fork the workers from it.
_SERVE_PROBE = """
import json, sys
import granian

class GranianThatForksNothing:
    def __init__(self, **options): pass
    def serve(self):
        print(json.dumps(sorted(name for name in sys.modules if "." not in name)))

granian.Granian = GranianThatForksNothing
from fusionx.entrypoints.cli import main
sys.exit(main(["serve"]))
"""


def test_embedded_serve_migrates_apart_from_the_process_workers_fork_from(
    tmp_path: Path,
) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("FUSIONX_")}
    env["FUSIONX_DATA_DIR"] = str(tmp_path)
    served = subprocess.run(  # noqa: S603 - this interpreter, our own snippet
        [sys.executable, "-c", _SERVE_PROBE], env=env, capture_output=True, text=True, check=True
    )
    with closing(sqlite3.connect(tmp_path / "fusionx.db")) as database:
        (revision,) = database.execute("SELECT version_num FROM alembic_version").fetchone()

    assert revision == HEAD_REVISION
    assert not set(json.loads(served.stdout.splitlines()[-1])) & {"alembic", "mako"}
