from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.devices import Device
from fusionx.core.model.paging import Page, PageRequest


class DeviceRepository(Protocol):
    async def add(self, device: Device) -> None: ...

    async def get(self, device_id: UUID) -> Device | None: ...

    async def list_for_truck(self, truck_id: UUID, page: PageRequest) -> Page[Device]:
        """A truck's devices, revoked ones included, oldest first."""
        ...

    async def update(self, device: Device) -> None: ...

    async def get_for_update(self, device_id: UUID) -> Device | None:
        """Like ``get``, and no other unit of work changes the device until this one ends."""
        ...

    async def gone_quiet(self, seen_before: datetime, limit: int) -> list[Device]:
        """Devices not revoked nor marked stale whose last heartbeat is before
        ``seen_before`` (never-seen ones are not), oldest heartbeat first."""
        ...

    async def mark_stale(self, device_id: UUID, seen_before: datetime, at: datetime) -> bool:
        """Set ``stale_since`` to ``at`` if the device is still quiet (not revoked, not
        marked, last heartbeat before ``seen_before``). True for the one unit of work
        that marked it, however many try at once."""
        ...
