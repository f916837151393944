from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.summary import ShiftFigures


class ShiftSummaries(Protocol):
    """A shift's figures, computed where the orders are (in SQL), never by loading them."""

    async def figures(
        self, shift_id: UUID, *, bucket_minutes: int = 15, best_sellers: int = 10
    ) -> ShiftFigures:
        """Orders are bucketed by creation time on ``bucket_minutes`` boundaries (UTC);
        prep runs from a ticket's first move to in prep to its last move to ready, wait
        from the order to that ready."""
        ...
