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


def test_a_worker_without_push_or_sms_providers_loads_no_http_client(tmp_path: Path) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if not (name.startswith("FUSIONX_") and ("APNS" in name or "SMS" in name))
    }
    env["FUSIONX_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    loaded = subprocess.run(  # noqa: S603 - this interpreter, our own snippet
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    modules = set(json.loads(loaded.stdout.splitlines()[-1]))
    assert not modules & {"httpx", "jwt", "h2"}
