from __future__ import annotations

import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def adapters(clock: ManualClock) -> Adapters:
    return in_memory_adapters(clock)
