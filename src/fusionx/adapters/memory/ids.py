from __future__ import annotations

import itertools
from uuid import UUID


class SequentialIdGenerator:
    """Predictable, ordered ids for tests (v7-shaped: version and variant bits set)."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new_id(self) -> UUID:
        n = next(self._counter)
        return UUID(f"00000000-0000-7000-8000-{n:012x}")
