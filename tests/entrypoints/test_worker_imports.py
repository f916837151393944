"""What a worker loads: libraries of features that are not configured stay out of memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


def test_a_worker_leaves_migrating_to_the_cli(tmp_path: Path) -> None:
    # Readiness compares revisions without alembic, which would cost every worker ~8 MB.
    assert not _worker_modules(tmp_path) & {"alembic", "mako"}
