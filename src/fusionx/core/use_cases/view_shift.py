"""Read-only views of a shift: its state and history, its kitchen feed (the menu is
``ViewShiftMenu``)."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

import msgspec

from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import Shift, ShiftTransition
from fusionx.core.model.tickets import OPEN_STATES, KdsTicket, TicketState
from fusionx.core.use_cases.shift_scope import shift_in_scope
from fusionx.ports.unit_of_work import UnitOfWork


class ShiftDetails(msgspec.Struct, frozen=True, kw_only=True):
    shift: Shift
    history: list[ShiftTransition]
    last_seq: int


class KdsFeed(msgspec.Struct, frozen=True, kw_only=True):
    """``last_seq`` identifies the shift's state: the feed cannot change without it rising."""

    last_seq: int
    tickets: list[KdsTicket]


class ViewShift:
    """What staff and devices of a shift's truck may read about it; others get 404."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def details(self, principal: Principal, shift_id: UUID) -> ShiftDetails:
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            return ShiftDetails(
                shift=shift,
                history=await uow.shifts.history(shift.id),
                last_seq=await uow.events.last_seq(shift.id),
            )

    async def feed_version(self, principal: Principal, shift_id: UUID) -> int:
        """Cheap check before ``feed``: the shift's last event number."""
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            return await uow.events.last_seq(shift.id)

    async def feed(
        self,
        principal: Principal,
        shift_id: UUID,
        states: Collection[TicketState] = OPEN_STATES,
    ) -> KdsFeed:
        """Tickets in ``states`` (open ones by default), oldest first, with their lines."""
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            return KdsFeed(
                last_seq=await uow.events.last_seq(shift.id),
                tickets=await uow.tickets.feed(shift.id, states),
            )
