from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.pairing_codes import (
    PAIRING_VALIDITY,
    PairingCode,
    hash_pairing_code,
    new_pairing_code,
)
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.rules.validation import require_text
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class PairingCodeRequest(msgspec.Struct, frozen=True, kw_only=True):
    truck_id: UUID
    label: str  # the device's name once paired ("Pass tablet")


class IssuedPairingCode(msgspec.Struct, frozen=True, kw_only=True):
    """The code to show the tablet (shown once, kept nowhere) and when it stops working."""

    code: str
    expires_at: datetime


class RequestPairingCode:
    """A manager asks for a code to pair a kitchen tablet's browser with one of their
    trucks, instead of typing a device credential into it.

    Rules:
    - managers of that truck, admins and owners only (as ``RegisterDevice``); the truck
      must exist and be active, else 404;
    - the code is eight characters without look-alikes, valid five minutes, good for one
      device; only its hash is kept; each request makes a new code, older ones keep working
      until they expire (two tablets may be paired at once).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, request: PairingCodeRequest) -> IssuedPairingCode:
        require_truck_scope(principal, request.truck_id, "truck", request.truck_id)
        staff = require_staff(principal, Role.MANAGER)
        label = require_text("label", request.label, max_length=100)
        now = self._clock.now()
        code = new_pairing_code()
        async with self._uow as uow:
            truck = await uow.trucks.get(request.truck_id)
            if truck is None or not truck.active:
                raise NotFound("truck", request.truck_id)
            stored = PairingCode(
                id=self._ids.new_id(),
                truck_id=truck.id,
                label=label,
                code_hash=hash_pairing_code(code),
                created_by=staff.staff.id,
                created_at=now,
                expires_at=now + PAIRING_VALIDITY,
            )
            await uow.pairing_codes.add(stored)
            await uow.commit()
        return IssuedPairingCode(code=code, expires_at=stored.expires_at)
