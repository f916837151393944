from __future__ import annotations

import msgspec

from fusionx.core.model.fleet_events import Stream, TruckCreated
from fusionx.core.model.trucks import Truck
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class CreateTruckRequest(msgspec.Struct, frozen=True, kw_only=True):
    name: str


class CreateTruck:
    """Add a truck to the fleet; it starts active."""

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, request: CreateTruckRequest) -> Truck:
        truck = Truck(
            id=self._ids.new_id(),
            name=require_text("name", request.name, max_length=100),
            created_at=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.trucks.add(truck)
            stream = Stream.truck(truck.id)
            await log_fleet_event(uow, stream, truck.created_at, None, TruckCreated(truck=truck))
            await uow.commit()
        return truck
