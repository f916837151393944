"""The directory workers add their figures up in: emptied at start, and a dead worker's
live gauges (connections, streams) dropped so that they stop counting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fusionx.adapters.observability.metrics import forget_dead_processes


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_dead_workers_live_gauges_are_dropped_and_its_counts_kept(tmp_path: Path) -> None:
    dead, alive = (
        _dead_pid(),
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]),
    )
    try:
        for name in (
            f"gauge_livesum_{dead}.db",
            f"counter_{dead}.db",
            f"gauge_livesum_{alive.pid}.db",
        ):
            (tmp_path / name).write_bytes(b"")
        forget_dead_processes(tmp_path)
        left = sorted(path.name for path in tmp_path.iterdir())
    finally:
        alive.kill()
        alive.wait()
    assert left == sorted([f"counter_{dead}.db", f"gauge_livesum_{alive.pid}.db"])
