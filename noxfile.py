"""Every task a developer or CI runs. Each session installs exactly what uv.lock pins."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["tests", "lint"]
nox.options.reuse_venv = "yes"

LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
LOCAL_REDIS = "async+redis://127.0.0.1:6379/15"


def install(session: nox.Session, *groups: str) -> None:
    """Sync the session's venv to uv.lock: the exact versions CI tested.

    Silent unless it fails, so that a session's standard output is its command's alone
    (``TRUCK=$(nox -s fusionx -- create-truck --name …)``).
    """
    args = ["uv", "sync", "--locked", "--no-default-groups"]
    for group in groups:
        args += ["--group", group]
    session.run_install(
        *args, env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location}, silent=True
    )


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite: core, HTTP, and the SQL adapters on SQLite and PostgreSQL.

    PostgreSQL tests use FUSIONX_TEST_DATABASE_URL (default: the local server); they skip
    when it is unreachable, unless FUSIONX_REQUIRE_POSTGRES=1 makes that a failure. The
    Redis rate-limiter tests likewise use FUSIONX_TEST_REDIS_URL and FUSIONX_REQUIRE_REDIS.
    """
    install(session, "test")
    env = {
        "FUSIONX_TEST_DATABASE_URL": os.environ.get("FUSIONX_TEST_DATABASE_URL", LOCAL_POSTGRES),
        "FUSIONX_TEST_REDIS_URL": os.environ.get("FUSIONX_TEST_REDIS_URL", LOCAL_REDIS),
    }
    session.run("pytest", *session.posargs, env=env)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format), mypy (strict on core and ports), the import contracts, the
    Dockerfile (hadolint) and the Kubernetes manifests against the Kubernetes schemas."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("lint-imports")
    session.run("hadolint", "Dockerfile")
    manifests = sorted(str(path) for path in Path("deploy/kubernetes").glob("*.yaml"))
    session.run("kubernetes-validate", "--strict", "--quiet", *manifests)


@nox.session
def serve(session: nox.Session) -> None:
    """Run FusionX on embedded SQLite with demo data (FUSIONX_* settings still apply)."""
    install(session)
    session.run("fusionx", "serve", "--demo", *session.posargs)


@nox.session
def fusionx(session: nox.Session) -> None:
    """The `fusionx` command, installed from uv.lock: `nox -s fusionx -- db upgrade`."""
    install(session)
    session.run("fusionx", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """FusionX's hot paths under load against a raw-asyncpg ceiling, in one run (bench/README.md).

    Needs PostgreSQL (FUSIONX_TEST_DATABASE_URL, default the local server) and wrk. Options
    after `--`, e.g. a smoke run: `nox -s bench -- --duration 2 --ws-clients 20`; the
    analytics step alone (no wrk): `nox -s bench -- --only analytics`; the fleet-sized day
    (no wrk either): `nox -s bench -- --fleet-day`.
    """
    alone = "analytics" in session.posargs and "--only" in session.posargs
    alone = alone or "--fleet-day" in session.posargs  # its own asyncio clients, no wrk
    if shutil.which("wrk") is None and not alone:
        session.error("bench needs the load generator wrk on PATH: `apt-get install wrk` (Debian)")
    install(session, "bench")
    env = {"FUSIONX_TEST_DATABASE_URL": os.environ.get("FUSIONX_TEST_DATABASE_URL", LOCAL_POSTGRES)}
    session.run("python", "-m", "bench", *session.posargs, env=env)
