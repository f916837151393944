from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.actors import actor_of
from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret, new_secret
from fusionx.core.model.devices import Device, Platform
from fusionx.core.model.fleet_events import DeviceRegistered, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_operator, require_staff, require_truck_scope
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class RegisterDeviceRequest(msgspec.Struct, frozen=True, kw_only=True):
    truck_id: UUID
    label: str
    platform: Platform
    app_version: str
    os_version: str


class RegisteredDevice(msgspec.Struct, frozen=True, kw_only=True):
    device: Device
    credential: str


class RegisterDevice:
    """A manager registers a TruckKDS tablet for one of their trucks.

    Rules:
    - managers of that truck, admins and owners only; crew and devices may not;
    - the truck must exist and be active (an unknown or out-of-scope truck is 404);
    - the device credential does not expire; it is returned here once and only
      its hash is kept. Revoking the device ends it.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(
        self, principal: Principal, request: RegisterDeviceRequest
    ) -> RegisteredDevice:
        require_truck_scope(principal, request.truck_id, "truck", request.truck_id)
        staff = require_staff(principal, Role.MANAGER)
        now = self._clock.now()
        async with self._uow as uow:
            truck = await uow.trucks.get(request.truck_id)
            if truck is None or not truck.active:
                raise NotFound("truck", request.truck_id)
            device = Device(
                id=self._ids.new_id(),
                truck_id=truck.id,
                label=require_text("label", request.label, max_length=100),
                platform=request.platform,
                app_version=require_text("app_version", request.app_version, max_length=50),
                os_version=require_text("os_version", request.os_version, max_length=50),
                registered_by=staff.staff.id,
                created_at=now,
            )
            secret = new_secret(PrincipalKind.DEVICE)
            await uow.devices.add(device)
            await log_fleet_event(
                uow,
                Stream.truck(truck.id),
                now,
                actor_of(require_operator(principal)),
                DeviceRegistered(device=device),
            )
            await uow.tokens.add(
                AccessToken(
                    id=self._ids.new_id(),
                    token_hash=hash_secret(secret),
                    kind=PrincipalKind.DEVICE,
                    subject_id=device.id,
                    created_at=now,
                )
            )
            await uow.commit()
        return RegisteredDevice(device=device, credential=secret)
