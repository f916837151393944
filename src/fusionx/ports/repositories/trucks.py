from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.trucks import Truck


class TruckRepository(Protocol):
    async def add(self, truck: Truck) -> None: ...

    async def get(self, truck_id: UUID) -> Truck | None: ...

    async def update(self, truck: Truck) -> None:
        """Replace the stored truck of the same id (edits, deactivation)."""
        ...

    async def list_all(self) -> list[Truck]:
        """Every truck, ordered by name."""
        ...
