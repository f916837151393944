from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from fusionx.core.model.devices import Device, TrackedDevice
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.rules.devices import health
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

# How long a device may stay silent before it counts as stale (FUSIONX_DEVICE_STALE_SECONDS).
DEFAULT_STALE_AFTER = timedelta(seconds=90)


class ListTruckDevices:
    """Staff of a truck (any role) see its devices, revoked ones included; ``tracked``
    adds whether each is online: a heartbeat within ``stale_after``."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock | None = None,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._stale_after = stale_after

    async def tracked(
        self, principal: Principal, truck_id: UUID, page: PageRequest
    ) -> Page[TrackedDevice]:
        if self._clock is None:  # pragma: no cover - wiring error
            raise TypeError("tracked() needs a clock")
        devices = await self.execute(principal, truck_id, page)
        now = self._clock.now()
        return Page(
            items=[
                TrackedDevice(device=d, health=health(d, now, self._stale_after))
                for d in devices.items
            ],
            total=devices.total,
            limit=devices.limit,
            offset=devices.offset,
        )

    async def execute(
        self, principal: Principal, truck_id: UUID, page: PageRequest
    ) -> Page[Device]:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        require_staff(principal)
        async with self._uow as uow:
            await require_truck_exists(uow, truck_id)
            return await uow.devices.list_for_truck(truck_id, page)
