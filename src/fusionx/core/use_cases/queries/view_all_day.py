from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

import msgspec

from fusionx.core.model.principals import Principal
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.steps.shift_scope import shift_in_scope
from fusionx.ports.unit_of_work import UnitOfWork

# Tickets whose food is still to be made: held ones will be, once they fire.
WAITING_STATES = frozenset({TicketState.NEW, TicketState.IN_PREP, TicketState.HOLD})


class ModifierCount(msgspec.Struct, frozen=True, kw_only=True):
    option_id: UUID
    name: str
    quantity: int


class AllDayCount(msgspec.Struct, frozen=True, kw_only=True):
    """How many of an item are waiting, and how many of those with each modifier."""

    item_id: UUID
    name: str
    quantity: int
    tickets: int
    modifiers: tuple[ModifierCount, ...] = ()


class ViewAllDay:
    """All-day counts: per item, and per modifier of it, the units waiting across the
    shift's open tickets (new, in prep or held), most wanted first. What the grill cook
    reads in a rush. Staff and devices of the shift's truck."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, shift_id: UUID) -> list[AllDayCount]:
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            waiting = await uow.tickets.feed(shift.id, WAITING_STATES)
        tallies: dict[UUID, _Tally] = {}
        for ticket in waiting:
            for line in ticket.lines:
                tally = tallies.setdefault(line.item_id, _Tally(name=line.name))
                tally.quantity += line.quantity
                tally.tickets.add(ticket.id)
                for modifier in line.modifiers:
                    name, quantity = tally.modifiers.get(modifier.option_id, (modifier.name, 0))
                    tally.modifiers[modifier.option_id] = (name, quantity + line.quantity)
        counts = [tally.count(item_id) for item_id, tally in tallies.items()]
        return sorted(counts, key=lambda c: (-c.quantity, c.name, c.item_id))


@dataclass
class _Tally:
    name: str
    quantity: int = 0
    tickets: set[UUID] = field(default_factory=set)
    modifiers: dict[UUID, tuple[str, int]] = field(default_factory=dict)

    def count(self, item_id: UUID) -> AllDayCount:
        modifiers = sorted(
            (
                ModifierCount(option_id=option, name=name, quantity=quantity)
                for option, (name, quantity) in self.modifiers.items()
            ),
            key=lambda m: (-m.quantity, m.name, m.option_id),
        )
        return AllDayCount(
            item_id=item_id,
            name=self.name,
            quantity=self.quantity,
            tickets=len(self.tickets),
            modifiers=tuple(modifiers),
        )
