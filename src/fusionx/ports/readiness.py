from __future__ import annotations

from typing import Protocol


class ReadinessProbe(Protocol):
    """Whether the service can do useful work: the store answers and its schema is current."""

    async def problems(self) -> list[str]:
        """An empty list when ready, else one short human-readable line per problem."""
        ...
