from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor, actor_of
from fusionx.core.model.events import ShiftOpened
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import Shift, ShiftState, ShiftTransition
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.use_cases.steps.shift_scope import log_event, restock
from fusionx.ports.clock import Clock
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class CheckInRequest(msgspec.Struct, frozen=True, kw_only=True):
    truck_id: UUID
    location_id: UUID


class CheckInTruck:
    """Open a shift: a truck checks in at a service location.

    Rules:
    - staff assigned to the truck (or fleet-wide staff) only; devices may not;
    - the truck and the location exist and are active;
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
        actor = actor_of(require_staff(principal))
        now = self._clock.now()
        async with self._uow as uow:
            truck = await uow.trucks.get(request.truck_id)
            if truck is None or not truck.active:
                raise NotFound("truck", request.truck_id)
            location = await uow.locations.get(request.location_id)
            if location is None or not location.active:
                raise NotFound("location", request.location_id)
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
            await self._load_opening_stock(uow, shift, actor)
            await uow.commit()
        return shift

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
