from __future__ import annotations

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
