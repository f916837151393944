from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.actors import Actor, actor_of
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.devices import Device
from fusionx.core.model.fleet_events import DeviceRevoked, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_operator, require_staff, require_truck_scope
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class RevokeDevice:
    """A manager of the device's truck (or an admin/owner) revokes it.

    Rules:
    - the device's credentials stop working on the next request, and its push token
      is forgotten;
    - revoking an already revoked device is harmless and keeps the first time;
    - a device of a truck outside the caller's scope is 404.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, device_id: UUID) -> Device:
        now = self._clock.now()
        async with self._uow as uow:
            device = await uow.devices.get(device_id)
            if device is None:
                raise NotFound("device", device_id)
            require_truck_scope(principal, device.truck_id, "device", device_id)
            require_staff(principal, Role.MANAGER)
            if device.revoked_at is None:
                device = msgspec.structs.replace(device, revoked_at=now)
                await uow.devices.update(device)
                await uow.tokens.revoke_all_for(device.id, now)
                await uow.push_tokens.remove(Actor(kind=PrincipalKind.DEVICE, id=device.id))
                revoked = DeviceRevoked(
                    device_id=device.id, truck_id=device.truck_id, label=device.label
                )
                stream = Stream.truck(device.truck_id)
                await log_fleet_event(
                    uow, stream, now, actor_of(require_operator(principal)), revoked
                )
                await uow.commit()
            return device
