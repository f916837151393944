from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.fleet_events import Stream
from fusionx.core.model.reviews import TruckRatings
from fusionx.core.use_cases.steps.shift_menu import ShiftMenu, compose_shift_menu
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class PublicMenu(msgspec.Struct, frozen=True, kw_only=True):
    """The open shift's menu, and what identifies its version: the shift's last event
    (stock, sales, specials, pause), the last changes to the fleet's and the truck's
    menus (catalogue, prices, selection), and its ratings' last change (a review
    written, changed or hidden)."""

    menu: ShiftMenu
    shift_seq: int
    fleet_seq: int
    truck_seq: int
    ratings: TruckRatings = TruckRatings()


class ViewPublicMenu:
    """What a truck's open shift sells, as a customer sees it; anyone may ask.

    Rules:
    - the menu is the shift's own (``compose_shift_menu``, as staff see it);
    - an unknown or deactivated truck, or one without an open or paused shift, is 404;
    - what the customer may not see (stock counts) is left out at the edge;
    - each item's rating and the truck's (count and mean of the visible reviews).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, truck_id: UUID) -> PublicMenu:
        async with self._uow as uow:
            truck = await uow.trucks.get(truck_id)
            if truck is None or not truck.active:
                raise NotFound("truck", truck_id)
            shift = await uow.shifts.open_for_truck(truck_id)
            if shift is None:
                raise NotFound("open shift of truck", truck_id)
            return PublicMenu(
                menu=await compose_shift_menu(uow, shift, self._clock.now()),
                shift_seq=await uow.events.last_seq(shift.id),
                fleet_seq=await uow.fleet_events.last_seq(Stream.fleet()),
                truck_seq=await uow.fleet_events.last_seq(Stream.truck(truck_id)),
                ratings=await uow.reviews.ratings(truck_id),
            )
