from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.use_cases.steps.truck_front import TruckFront, truck_front
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ViewTruckFront:
    """One truck's public page; anyone may ask (no sign-in).

    Rules:
    - an unknown or deactivated truck is 404 alike;
    - a truck not checked in anywhere shows no location, no hours and is not open;
    - its rating: count and mean of its visible reviews.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, truck_id: UUID) -> TruckFront:
        async with self._uow as uow:
            truck = await uow.trucks.get(truck_id)
            if truck is None or not truck.active:
                raise NotFound("truck", truck_id)
            front = await truck_front(uow, truck, self._clock.now())
            ratings = await uow.reviews.ratings(truck_id)
            return msgspec.structs.replace(front, rating=ratings.truck)
