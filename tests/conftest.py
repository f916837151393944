from __future__ import annotations

import os
import zlib

import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from tests.support.factories import seed_factories


@pytest.fixture(autouse=True)
def _seeded_factories(request: pytest.FixtureRequest) -> None:
    """Each test draws its own values, the same on every run (set FUSIONX_TEST_SEED to vary)."""
    seed_factories(
        zlib.crc32(request.node.nodeid.encode()) ^ int(os.environ.get("FUSIONX_TEST_SEED", "0"))
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def adapters(clock: ManualClock) -> Adapters:
    return in_memory_adapters(clock)
