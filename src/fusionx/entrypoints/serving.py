"""What ``fusionx serve``'s own process sets up before granian starts its workers."""

from __future__ import annotations

import os
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
    if observability.metrics:
        default = Path(tempfile.gettempdir()) / f"fusionx-metrics-{os.getpid()}"
        use_multiprocess_directory(Path(observability.metrics_dir or default))
