from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.capacity import CapacitySetting, KitchenLoad, RecentOrder


class CapacityRepository(Protocol):
    """Capacity limits (per shift, and a truck's defaults) and the load they are held to.

    The load reads leave out orders whose ticket is cancelled. Exact under concurrency
    only while the caller holds the shift (``ShiftRepository.get_for_update``).
    """

    async def for_shift(self, shift_id: UUID) -> CapacitySetting | None: ...

    async def for_truck(self, truck_id: UUID) -> CapacitySetting | None: ...

    async def in_force(self, shift_id: UUID, truck_id: UUID) -> CapacitySetting | None:
        """The shift's own limits, else its truck's defaults (``truck_id``), else None:
        one read."""
        ...

    async def set_for_shift(self, shift_id: UUID, setting: CapacitySetting) -> None:
        """Replace the shift's limits (create them if it had none)."""
        ...

    async def set_for_truck(self, truck_id: UUID, setting: CapacitySetting) -> None:
        """Replace the truck's default limits (create them if it had none)."""
        ...

    async def recent_orders(self, shift_id: UUID, since: datetime) -> list[RecentOrder]:
        """Orders of the shift created strictly after ``since``, oldest first."""
        ...

    async def slot_loads(self, shift_id: UUID, from_slot: datetime) -> dict[datetime, int]:
        """Orders per pickup slot start, for slots starting at or after ``from_slot``."""
        ...

    async def kitchen_load(self, shift_id: UUID) -> KitchenLoad:
        """Open tickets of the shift, and the prep times (in prep to ready) of the
        latest ready ones, oldest of them first."""
        ...

    async def outlook(
        self, shift_id: UUID, truck_id: UUID
    ) -> tuple[CapacitySetting | None, KitchenLoad]:
        """``in_force`` and ``kitchen_load`` in one read: what a new order starts from."""
        ...
