"""In-memory ``FleetActivity``: the same counts as the SQL statements, in Python."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.capacity import QUEUED_STATES
from fusionx.core.model.fleet_live import LiveShift, QuietDevice, TruckActivity
from fusionx.core.model.orders import OrderState
from fusionx.core.model.shifts import Shift, ShiftState
from fusionx.core.rules.capacity import RECENT_PREPS


class InMemoryFleetActivity:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def trucks(
        self, truck_ids: Collection[UUID] | None, *, orders_since: datetime, seen_before: datetime
    ) -> list[TruckActivity]:
        trucks = sorted(
            (
                truck
                for truck in self._t.trucks.values()
                if truck.active and (truck_ids is None or truck.id in truck_ids)
            ),
            key=lambda truck: (truck.name, truck.id),
        )
        shifts = {
            s.truck_id: s for s in self._t.shifts.values() if s.state is not ShiftState.CLOSED
        }
        orders: Counter[UUID] = Counter(
            self._t.shifts[order.shift_id].truck_id
            for order in self._t.orders.values()
            if order.created_at >= orders_since and order.state is OrderState.PLACED
        )
        return [
            TruckActivity(
                truck_id=truck.id,
                truck_name=truck.name,
                shift=_live(shifts.get(truck.id)),
                orders_last_hour=orders[truck.id],
                queued_tickets=self._queued(shifts.get(truck.id)),
                typical_prep_seconds=self._typical_prep(shifts.get(truck.id)),
                quiet_devices=self._quiet(truck.id, seen_before),
            )
            for truck in trucks
        ]

    def _queued(self, shift: Shift | None) -> int:
        if shift is None:
            return 0
        return sum(
            1
            for ticket in self._t.tickets.values()
            if ticket.shift_id == shift.id and ticket.state in QUEUED_STATES
        )

    def _typical_prep(self, shift: Shift | None) -> float | None:
        if shift is None:
            return None
        preps = sorted(
            (
                ticket.ready_at,
                ticket.id,
                round((ticket.ready_at - ticket.prep_at).total_seconds(), 3),
            )
            for ticket in self._t.tickets.values()
            if ticket.shift_id == shift.id
            and ticket.ready_at is not None
            and ticket.prep_at is not None
        )[-RECENT_PREPS:]
        return round(sum(p[2] for p in preps) / len(preps), 3) if preps else None

    def _quiet(self, truck_id: UUID, seen_before: datetime) -> tuple[QuietDevice, ...]:
        quiet = sorted(
            (device.last_seen_at, device.id, device.label)
            for device in self._t.devices.values()
            if device.truck_id == truck_id
            and not device.revoked
            and device.last_seen_at is not None
            and device.last_seen_at < seen_before
        )
        return tuple(QuietDevice(id=i, label=label, last_seen_at=at) for at, i, label in quiet)


def _live(shift: Shift | None) -> LiveShift | None:
    if shift is None:
        return None
    return LiveShift(
        id=shift.id, location_id=shift.location_id, state=shift.state, opened_at=shift.opened_at
    )
