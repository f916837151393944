from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor, actor_of
from fusionx.core.model.events import ShiftOpened
from fusionx.core.model.fleet_events import Stream, TruckCheckedInOutOfHours
from fusionx.core.model.principals import Principal, StaffPrincipal
from fusionx.core.model.shifts import Shift, ShiftState, ShiftTransition
from fusionx.core.model.staff import Role
from fusionx.core.model.trucks import Location
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.hours_in_force import hours_in_force
from fusionx.core.use_cases.steps.location_scope import existing_location
from fusionx.core.use_cases.steps.shift_scope import log_event, restock
from fusionx.core.use_cases.steps.truck_scope import existing_truck
from fusionx.ports.clock import Clock
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class CheckInRequest(msgspec.Struct, frozen=True, kw_only=True):
    truck_id: UUID
    location_id: UUID
    # Why a manager checks in outside the truck's operating hours (unused within them).
    reason: str | None = None


class CheckInTruck:
    """Open a shift: a truck checks in at a service location.

    Rules:
    - staff assigned to the truck (or fleet-wide staff) only; devices may not;
    - the truck and the location exist (else 404) and are active: a deactivated truck
      or location is a conflict;
    - within the truck's operating hours (its own, else the location's; none set: any
      time), read in the location's time zone. Outside them crew are refused (a
      conflict); a manager or above may go on with a non-empty ``reason``, and the
      override is a ``truck.checked_in_out_of_hours`` event on the truck's stream with
      the actor and the reason, in the same unit of work;
    - one open (or paused) shift per truck: a second check-in is a conflict naming
      the open shift, also when two check-ins race;
    - the check-in is the first entry of the shift's history and its first event;
    - the shift starts with the opening stock the truck's menu gives its active items:
      a restock each, by whoever checked in, noted "opening stock".
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, request: CheckInRequest) -> Shift:
        require_truck_scope(principal, request.truck_id, "truck", request.truck_id)
        staff = require_staff(principal)
        actor = actor_of(staff)
        now = self._clock.now()
        async with self._uow as uow:
            truck = await existing_truck(uow, request.truck_id)
            location = await existing_location(uow, request.location_id)
            if not truck.active:
                raise Conflict(Message("fleet.truck.inactive"), truck_id=str(truck.id))
            if not location.active:
                raise Conflict(Message("fleet.location.inactive"), location_id=str(location.id))
            override = await self._out_of_hours_reason(uow, staff, request, location, now)
            shift = Shift(
                id=self._ids.new_id(),
                truck_id=truck.id,
                location_id=location.id,
                state=ShiftState.OPEN,
                opened_at=now,
                opened_by=actor,
            )
            try:
                await uow.shifts.add(shift)
            except UniqueViolation:
                await self._already_open(uow, truck.id)
            await uow.shifts.add_transition(
                ShiftTransition(
                    shift_id=shift.id, source=None, target=shift.state, at=now, actor=actor
                )
            )
            await log_event(uow, shift.id, now, ShiftOpened(shift=shift))
            if override is not None:
                event = TruckCheckedInOutOfHours(
                    truck_id=truck.id, shift_id=shift.id, location_id=location.id, reason=override
                )
                await log_fleet_event(uow, Stream.truck(truck.id), now, actor, event)
            await self._load_opening_stock(uow, shift, actor)
            await uow.commit()
        return shift

    @staticmethod
    async def _out_of_hours_reason(
        uow: UnitOfWork,
        staff: StaffPrincipal,
        request: CheckInRequest,
        location: Location,
        now: datetime,
    ) -> str | None:
        """None within the hours; outside them the manager's reason, or a refusal."""
        reason = request.reason
        if reason is not None:  # well formed whether or not it is needed
            reason = require_text("reason", reason, max_length=500)
        in_force = await hours_in_force(uow, request.truck_id, location)
        if in_force.hours.is_open(now, location.zone):
            return None
        if not staff.staff.role.at_least(Role.MANAGER):
            raise Conflict(Message("fleet.hours.outside"), truck_id=str(request.truck_id))
        if reason is None:
            raise InvalidInput("reason", Message("fleet.hours.reason_required"))
        return reason

    async def _load_opening_stock(self, uow: UnitOfWork, shift: Shift, actor: Actor) -> None:
        entries = sorted(
            (e for e in await uow.menu.truck_menu(shift.truck_id) if e.opening_stock),
            key=lambda entry: entry.item_id,
        )
        items = await uow.menu.items_by_id([entry.item_id for entry in entries])
        for entry in entries:
            item = items.get(entry.item_id)
            if item is None or not item.active or not entry.opening_stock:
                continue
            await restock(
                uow,
                movement_id=self._ids.new_id(),
                shift_id=shift.id,
                item_id=item.id,
                quantity=entry.opening_stock,
                actor=actor,
                at=shift.opened_at,
                note="opening stock",
            )

    @staticmethod
    async def _already_open(uow: UnitOfWork, truck_id: UUID) -> None:
        open_shift = await uow.shifts.open_for_truck(truck_id)
        raise Conflict(
            Message("shift.already_open"),
            open_shift_id=str(open_shift.id) if open_shift else None,
        )
