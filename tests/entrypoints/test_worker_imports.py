"""What a worker loads: libraries that only some routes, jobs or commands need stay out of
its memory until something needs them (``python -m bench.memory`` measures what each costs).

``LOADED_ON_FIRST_USE`` is the one list: a package that a change makes every worker import
again at start-up fails here, with the reason it was kept out.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from fusionx.adapters.sql.migrations.revisions import HEAD_REVISION

# Top-level package -> why a worker that has just built its app must not hold it.
LOADED_ON_FIRST_USE = {
    "httpx": "push and SMS senders import it when their provider is configured",
    "h2": "push and SMS senders import it when their provider is configured",
    "jwt": "APNs signs its tokens with it, when configured",
    "procrastinate": "the job queue is `fusionx worker`'s, on PostgreSQL",
    "psycopg": "the job queue is `fusionx worker`'s, on PostgreSQL",
    "psycopg_pool": "the job queue is `fusionx worker`'s, on PostgreSQL",
    "alembic": "migrating is the CLI's: readiness compares revisions without it (~8 MB)",
    "mako": "alembic's templates",
    "strawberry": "GraphQL is loaded by the first GraphQL request (graphql_api.view)",
    "graphql": "GraphQL is loaded by the first GraphQL request (graphql_api.view)",
    "cross_web": "GraphQL is loaded by the first GraphQL request (graphql_api.view)",
    "aiosmtplib": "email goes out through it only when a mail server is configured",
    "stripe": "the payment gateway's client, only when one is configured",
    "limits": "the limits library counts on Redis or in memory; the database's counter "
    "reads the rate with adapters.rate_limits.notation",
    "deprecated": "the limits library's",
    "wrapt": "OpenTelemetry's ASGI instrumentation, which Litestar's tracing plugin imports: "
    "only when tracing is on (http.observability.untraced_app_building)",
    "asgiref": "OpenTelemetry's ASGI instrumentation, only when tracing is on",
}

# Top-level package -> why no process started by FusionX's ways in imports it at all.
NEVER_LOADED = {
    "rich": "structlog draws console tracebacks with it; ours are plain (entrypoints/__init__)",
    "pygments": "rich's",
}

_PROBE = """
import json, sys
from fusionx.entrypoints.http.asgi import app_from_environment
app_from_environment()
# A name held by None is one whose import is refused, not a module loaded.
loaded = [name for name, module in sys.modules.items() if "." not in name and module]
print(json.dumps(sorted(loaded)))
"""


@pytest.fixture(scope="module")
def worker_modules(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The top-level modules a worker holds once its app is built, on SQLite, with no
    push, SMS, mail or payment provider and no rate-limit store configured."""
    configured = ("APNS", "SMS", "SMTP", "EMAIL", "STRIPE", "PAYMENT", "RATE_LIMIT")
    env = {
        name: value
        for name, value in os.environ.items()
        if not (name.startswith("FUSIONX_") and any(word in name for word in configured))
    }
    database = tmp_path_factory.mktemp("worker") / "fusionx.db"
    env["FUSIONX_DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    loaded = subprocess.run(  # noqa: S603 - this interpreter, our own snippet
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(loaded.stdout.splitlines()[-1]))


@pytest.mark.parametrize("package", sorted(LOADED_ON_FIRST_USE))
def test_a_worker_starts_without_what_only_some_requests_need(
    worker_modules: set[str], package: str
) -> None:
    assert package not in worker_modules, LOADED_ON_FIRST_USE[package]


@pytest.mark.parametrize("package", sorted(NEVER_LOADED))
def test_a_worker_never_loads_what_only_a_console_would_use(
    worker_modules: set[str], package: str
) -> None:
    assert package not in worker_modules, NEVER_LOADED[package]


def test_the_probe_sees_what_a_worker_does_load(worker_modules: set[str]) -> None:
    # Guards the test above against a probe that loads nothing at all.
    assert {"litestar", "sqlalchemy", "fusionx"} <= worker_modules


# `fusionx serve` up to the moment granian would fork the workers from it.
_SERVE_PROBE = """
import json, sys
import granian

class GranianThatForksNothing:
    def __init__(self, **options): pass
    def serve(self):
        loaded = [name for name, module in sys.modules.items() if "." not in name and module]
        print(json.dumps(sorted(loaded)))

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
    forked_with = set(json.loads(served.stdout.splitlines()[-1]))
    assert not forked_with & {"alembic", "mako", *NEVER_LOADED}
