from __future__ import annotations

from datetime import timedelta

from fusionx.core.model.devices import Device
from fusionx.core.model.events import DeviceStale
from fusionx.core.use_cases.steps.shift_scope import log_event
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWorkFactory

SWEEP_BATCH = 100


class SweepStaleDevices:
    """Find devices that stopped sending heartbeats, so a manager can be told.

    Rules:
    - a device not revoked whose last heartbeat is older than the stale window goes
      stale, once: a ``device.stale`` event on its truck's open shift, if there is one;
    - each device is marked in its own unit of work with a compare-and-set: of several
      sweeps (workers, instances) reaching it at once exactly one records it, and a
      heartbeat arriving meanwhile wins;
    - a device never seen is not stale: it has not started yet.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, stale_after: timedelta) -> None:
        self._uow = uow
        self._clock = clock
        self._stale_after = stale_after

    async def execute(self) -> list[Device]:
        """The devices this sweep marked stale."""
        cutoff = self._clock.now() - self._stale_after
        async with self._uow() as uow:
            quiet = await uow.devices.gone_quiet(cutoff, SWEEP_BATCH)
        marked = []
        for device in quiet:
            if await self._mark(device):
                marked.append(device)
        return marked

    async def _mark(self, device: Device) -> bool:
        now = self._clock.now()
        async with self._uow() as uow:
            if not await uow.devices.mark_stale(device.id, now - self._stale_after, now):
                return False  # another sweep marked it, or it came back
            shift = await uow.shifts.open_for_truck(device.truck_id)
            if shift is not None:
                await log_event(
                    uow,
                    shift.id,
                    now,
                    DeviceStale(
                        device_id=device.id,
                        label=device.label,
                        last_seen_at=device.last_seen_at,
                        stale_after_seconds=int(self._stale_after.total_seconds()),
                    ),
                )
            await uow.commit()
        return True
