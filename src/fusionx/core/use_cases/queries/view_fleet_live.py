from __future__ import annotations

from datetime import timedelta

from fusionx.core.model.fleet_live import FleetLive
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import business_scope
from fusionx.core.use_cases.steps.fleet_live import live_lines
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ViewFleetLive:
    """The fleet as it is now: per active truck, its open shift, its orders of the last
    hour, its kitchen's queue and the wait an order placed now would be promised, and
    its kitchen devices gone quiet; and the totals of them all.

    Rules:
    - owners and admins see every truck, managers their own; crew, devices and
      customers are refused (403);
    - a device is offline once its last heartbeat is older than the stale window (a
      device never seen has not started, a revoked one is gone): the same rule as the
      truck's device list, whether or not the sweep has marked it yet;
    - the orders counted are those that reached the kitchen (an online order once
      paid), by creation time, on any of the truck's shifts, closed ones included;
    - the view's ``version`` names its content, so a client can tell whether what it
      holds is current.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, stale_after: timedelta) -> None:
        self._uow = uow
        self._clock = clock
        self._stale_after = stale_after

    async def execute(self, principal: Principal) -> FleetLive:
        trucks = business_scope(principal)
        at = self._clock.now()
        async with self._uow as uow:
            lines = await live_lines(uow, trucks, at, self._stale_after)
        return FleetLive.of(at, tuple(lines))
