"""A worker's password checks leave no memory behind (glibc's mmap threshold is fixed).

granian's allocator, the other one a worker has: ``test_granian_allocator.py``."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc", reason="the threshold is glibc's"
)

# Four logins at once, each on an executor thread of its own; prints the RSS they added.
_PROBE = """
import asyncio, sys

def rss_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024

if sys.argv[1] == "worker":
    from fusionx.entrypoints.http.asgi import app_from_environment
    app_from_environment()
from fusionx.adapters.passwords.argon2_hasher import Argon2PasswordHasher

hasher = Argon2PasswordHasher()

async def main():
    hashed = await hasher.hash("correct horse battery staple")
    before = rss_mb()
    await asyncio.gather(*(hasher.verify(hashed, "wrong") for _ in range(4)))
    print(rss_mb() - before)

asyncio.run(main())
"""


def _added_mb(setup: str, tmp_path: Path) -> float:
    env = {name: value for name, value in os.environ.items() if not name.startswith("FUSIONX_")}
    env["FUSIONX_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    done = subprocess.run(  # noqa: S603 - this interpreter, our own snippet
        [sys.executable, "-c", _PROBE, setup], env=env, capture_output=True, text=True, check=True
    )
    return float(done.stdout.splitlines()[-1])


def test_logins_in_a_worker_give_their_memory_back(tmp_path: Path) -> None:
    assert _added_mb("worker", tmp_path) < 10


def test_without_the_fixed_threshold_each_thread_keeps_argon2s_block(tmp_path: Path) -> None:
    # The cause, shown: were this to stop holding, the fix could go.
    assert _added_mb("bare", tmp_path) > 30
