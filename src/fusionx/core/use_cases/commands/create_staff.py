from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict
from fusionx.core.messages import Message
from fusionx.core.model.fleet_events import StaffCreated, Stream
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.validation import require_email, require_password, require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.password_hasher import PasswordHasher
from fusionx.ports.unit_of_work import UnitOfWork


class CreateStaffRequest(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    password: str
    name: str
    role: Role
    phone: str | None = None
    truck_ids: frozenset[UUID] = frozenset()


class CreateStaff:
    """Create a staff account (bootstrap and, later, the admin API).

    Rules:
    - the email is unique regardless of case and kept as typed;
    - passwords are at least 12 characters and stored only as an argon2id hash;
    - every assigned truck must exist.
    """

    def __init__(
        self, uow: UnitOfWork, hasher: PasswordHasher, clock: Clock, ids: IdGenerator
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._ids = ids

    async def execute(self, request: CreateStaffRequest) -> StaffMember:
        email = require_email(request.email)
        password = require_password(request.password)
        staff = StaffMember(
            id=self._ids.new_id(),
            email=email,
            name=require_text("name", request.name),
            role=request.role,
            phone=require_text("phone", request.phone, max_length=32) if request.phone else None,
            truck_ids=request.truck_ids,
            password_hash=await self._hasher.hash(password),
            created_at=self._clock.now(),
        )
        async with self._uow as uow:
            for truck_id in sorted(request.truck_ids):
                await require_truck_exists(uow, truck_id)
            try:
                await uow.staff.add(staff)
                created = StaffCreated.of(staff)
                await log_fleet_event(uow, Stream.fleet(), staff.created_at, None, created)
                await uow.commit()
            except UniqueViolation as error:
                raise Conflict(
                    Message("staff.exists", {"field": error.field}), field=error.field
                ) from None
        return staff
