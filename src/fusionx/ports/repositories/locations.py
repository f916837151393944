from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.trucks import Location


class LocationRepository(Protocol):
    async def add(self, location: Location) -> None: ...

    async def get(self, location_id: UUID) -> Location | None: ...

    async def update(self, location: Location) -> None:
        """Replace the stored location of the same id (edits, deactivation)."""
        ...

    async def list_all(self, *, active_only: bool = False) -> list[Location]:
        """Ordered by name."""
        ...
