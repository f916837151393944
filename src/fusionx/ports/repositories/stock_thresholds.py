from __future__ import annotations

from typing import Protocol
from uuid import UUID


class StockThresholds(Protocol):
    """Low-stock thresholds: a default per menu item, overridden per shift."""

    async def for_shift(self, shift_id: UUID, item_ids: set[UUID]) -> dict[UUID, int | None]:
        """Each item's threshold this shift: the shift's own, else the item's default,
        else None (the fleet default applies)."""
        ...

    async def item_default(self, item_id: UUID) -> int | None:
        """The item's own default; None when it has none (the fleet default applies)."""
        ...

    async def set_item_default(self, item_id: UUID, threshold: int | None) -> None: ...

    async def set_for_shift(self, shift_id: UUID, item_id: UUID, threshold: int | None) -> None:
        """None drops the shift's own threshold: the item's default applies again."""
        ...
