from __future__ import annotations

from datetime import datetime

import msgspec

from fusionx.core.errors import InvalidInput, TooManyAttempts
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret, new_secret
from fusionx.core.model.devices import Device, Platform
from fusionx.core.model.fleet_events import DeviceRegistered, Stream
from fusionx.core.model.pairing_codes import hash_pairing_code, normalized_pairing_code
from fusionx.core.rules.login_throttle import (
    PAIRING_ADDRESS_POLICY,
    ThrottlePolicy,
    pairing_address_key,
    seconds_to_wait,
)
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork

_WRONG_CODE = Message("pairing.code_invalid")
# What a browser paired this way reports until its first heartbeat says otherwise.
_BROWSER = "browser"


class PairDeviceRequest(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    client_address: str


class PairedDevice(msgspec.Struct, frozen=True, kw_only=True):
    """The new device and its credential's secret (for the tablet's cookie, shown to no one)."""

    device: Device
    credential: str


class PairDevice:
    """A tablet's browser enters the pairing code a manager asked for, and becomes a device
    of that truck.

    Rules:
    - the code works once (of racing requests with it, one pairs), within five minutes;
      case, spaces and dashes are forgiven; a wrong, expired or used code is the same 422
      on ``code``;
    - wrong codes are counted per client address; past ten in fifteen minutes every
      attempt, right or wrong, is refused (429) with the seconds to wait;
    - the device is registered as the manager who asked for the code registered it (the
      fleet log says so), platform ``web``; its credential does not expire and only its
      hash is kept, as for ``RegisterDevice``; revoking the device ends it.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
        policy: ThrottlePolicy = PAIRING_ADDRESS_POLICY,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._policy = policy

    async def execute(self, request: PairDeviceRequest) -> PairedDevice:
        now = self._clock.now()
        key = pairing_address_key(request.client_address)
        code = normalized_pairing_code(request.code)
        async with self._uow as uow:
            await uow.login_failures.hold((key,))
            await self._refuse_past_limit(uow, key, now)
            found = None
            if code is not None:
                found = await uow.pairing_codes.consume(hash_pairing_code(code), now)
            if found is None:
                await uow.login_failures.record(key, now)
                await uow.commit()
                raise InvalidInput("code", _WRONG_CODE)
            device = Device(
                id=self._ids.new_id(),
                truck_id=found.truck_id,
                label=found.label,
                platform=Platform.WEB,
                app_version=_BROWSER,
                os_version=_BROWSER,
                registered_by=found.created_by,
                created_at=now,
            )
            secret = new_secret(PrincipalKind.DEVICE)
            await uow.devices.add(device)
            await log_fleet_event(
                uow,
                Stream.truck(found.truck_id),
                now,
                Actor(kind=PrincipalKind.STAFF, id=found.created_by),
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
        return PairedDevice(device=device, credential=secret)

    async def _refuse_past_limit(self, uow: UnitOfWork, key: str, now: datetime) -> None:
        attempts = await uow.login_failures.since(key, now - self._policy.window)
        wait = seconds_to_wait(attempts, now, self._policy)
        if wait:
            raise TooManyAttempts(Message("pairing.too_many"), wait)
