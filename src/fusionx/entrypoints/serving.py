"""What ``fusionx serve``'s own process sets up before granian starts its workers."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from fusionx.adapters.observability.metrics import use_multiprocess_directory
from fusionx.entrypoints.logging import configure_logging
from fusionx.entrypoints.observability_settings import load_observability_settings
from fusionx.entrypoints.settings import Settings


def prepare_serving(settings: Settings) -> None:
    """Log like the workers (granian's start-up lines are this process's), and give the
    workers a fresh directory to add up their metrics in."""
    configure_logging(settings)
    observability = load_observability_settings()
    if not observability.metrics:
        return
    if observability.metrics_dir:
        use_multiprocess_directory(Path(observability.metrics_dir))
        return
    directory = Path(tempfile.mkdtemp(prefix="fusionx-metrics-"))
    use_multiprocess_directory(directory)
    # Ours alone: gone with the server (forked workers leave without running atexit).
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
