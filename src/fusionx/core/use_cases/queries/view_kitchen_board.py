from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import Shift
from fusionx.core.model.tickets import DEFAULT_RECALL_WINDOW, OPEN_STATES, TicketState
from fusionx.core.model.trucks import Truck
from fusionx.core.rules.access import can_act_on_truck
from fusionx.core.use_cases.queries.view_all_day import AllDayCount, ViewAllDay
from fusionx.core.use_cases.queries.view_shift import KdsFeed, ViewShift
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

_BOARD_STATES = OPEN_STATES | {TicketState.COMPLETED}


class KitchenBoard(msgspec.Struct, frozen=True, kw_only=True):
    """A truck's board: its open shift's tickets (none off duty) and all-day counts."""

    truck: Truck
    shift: Shift | None = None
    feed: KdsFeed | None = None
    all_day: list[AllDayCount] = msgspec.field(default_factory=list)


class ViewKitchenBoard:
    """What a kitchen board shows for a truck.

    Rules:
    - staff of the truck and its devices (another truck is 404, as everywhere);
    - the truck's shift that is not closed; off duty, no tickets;
    - the open tickets, oldest first, and the ones completed within the recall window
      (the board offers to recall them), with the all-day counts of the waiting ones.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        view_shift: ViewShift,
        view_all_day: ViewAllDay,
        recall_window: timedelta = DEFAULT_RECALL_WINDOW,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._view_shift = view_shift
        self._view_all_day = view_all_day
        self._recall_window = recall_window

    async def execute(self, principal: Principal, truck_id: UUID) -> KitchenBoard:
        # A truck out of the caller's scope is 404 to all, customers included.
        async with self._uow as uow:
            truck = await uow.trucks.get(truck_id)
            if truck is None or not truck.active or not can_act_on_truck(principal, truck_id):
                raise NotFound("truck", truck_id)
            shift = await uow.shifts.open_for_truck(truck_id)
        if shift is None:
            return KitchenBoard(truck=truck)
        feed = await self._view_shift.feed(principal, shift.id, _BOARD_STATES)
        since = self._clock.now() - self._recall_window
        shown = [
            ticket
            for ticket in feed.tickets
            if ticket.state is not TicketState.COMPLETED or ticket.updated_at >= since
        ]
        all_day = await self._view_all_day.execute(principal, shift.id)
        return KitchenBoard(
            truck=truck,
            shift=shift,
            feed=KdsFeed(last_seq=feed.last_seq, tickets=shown),
            all_day=all_day,
        )
