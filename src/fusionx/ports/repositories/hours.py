from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.hours import OperatingHours


class OperatingHoursRepository(Protocol):
    """Each truck's own and each location's operating hours, read and replaced whole.

    Hours never set read as empty ``OperatingHours()``; setting empty hours removes them.
    """

    async def for_truck(self, truck_id: UUID) -> OperatingHours: ...

    async def for_location(self, location_id: UUID) -> OperatingHours: ...

    async def set_for_truck(self, truck_id: UUID, hours: OperatingHours) -> None: ...

    async def set_for_location(self, location_id: UUID, hours: OperatingHours) -> None: ...
