from __future__ import annotations

import msgspec

from fusionx.core.errors import PermissionDenied
from fusionx.core.messages import Message
from fusionx.core.model.devices import Device, Heartbeat
from fusionx.core.model.events import DeviceBackOnline
from fusionx.core.model.principals import DevicePrincipal, Principal
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.shift_scope import log_event
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class RecordHeartbeat:
    """A kitchen device says it is alive, and how it is doing.

    Rules:
    - devices only, each for itself (staff get 403);
    - the heartbeat sets last seen to now, and the app and OS versions, the last event
      number the device holds, its battery and queue depth as reported;
    - a device marked stale is back online: a ``device.back_online`` event on its
      truck's open shift, if there is one. The device is held meanwhile, so a sweep
      marking it stale at the same moment is seen either before or after, never lost.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, beat: Heartbeat) -> Device:
        if not isinstance(principal, DevicePrincipal):
            raise PermissionDenied(Message("device.heartbeat_devices_only"))
        app_version = require_text("app_version", beat.app_version, max_length=50)
        os_version = require_text("os_version", beat.os_version, max_length=50)
        now = self._clock.now()
        async with self._uow as uow:
            device = await uow.devices.get_for_update(principal.device.id)
            if device is None:  # pragma: no cover - authenticated a moment ago
                raise PermissionDenied(Message("device.not_registered"))
            seen = msgspec.structs.replace(
                device,
                last_seen_at=now,
                app_version=app_version,
                os_version=os_version,
                last_event_seq=beat.last_event_seq,
                battery_percent=beat.battery_percent,
                queue_depth=beat.queue_depth,
                stale_since=None,
            )
            await uow.devices.update(seen)
            if (stale_since := device.stale_since) is not None:
                shift = await uow.shifts.open_for_truck(device.truck_id)
                if shift is not None:
                    await log_event(
                        uow,
                        shift.id,
                        now,
                        DeviceBackOnline(
                            device_id=device.id, label=device.label, stale_since=stale_since
                        ),
                    )
            await uow.commit()
        return seen
