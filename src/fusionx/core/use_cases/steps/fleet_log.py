"""The step every privileged change outside a shift shares: logging it on its stream."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.model.actors import Actor
from fusionx.core.model.fleet_events import FleetEventData, NewFleetEvent, Stream
from fusionx.ports.unit_of_work import UnitOfWork


async def log_fleet_event(
    uow: UnitOfWork, stream: Stream, at: datetime, actor: Actor | None, data: FleetEventData
) -> None:
    """Append ``data`` to ``stream`` in this unit of work; ``actor`` None for the system.
    The record carries the unit's ``origin`` (the request's address and id)."""
    event = NewFleetEvent(stream=stream, at=at, actor=actor, data=data, origin=uow.origin)
    await uow.fleet_events.append(event)
