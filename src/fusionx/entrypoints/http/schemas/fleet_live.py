"""The live fleet view on the wire: the snapshot, and the stream's change messages."""

from __future__ import annotations

from typing import Self
from uuid import UUID

import msgspec

from fusionx.core.model.fleet_live import (
    FleetLive,
    FleetTotals,
    LiveChange,
    LiveChangeKind,
    LiveShift,
    QuietDevice,
    TruckLive,
)
from fusionx.core.model.shifts import ShiftState
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime


class LiveShiftView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    location_id: UUID
    state: ShiftState
    opened_at: UtcDateTime

    @classmethod
    def of(cls, shift: LiveShift) -> Self:
        return cls(
            id=shift.id, location_id=shift.location_id, state=shift.state, opened_at=shift.opened_at
        )


class OfflineDeviceView(msgspec.Struct, frozen=True, kw_only=True):
    """A kitchen device whose last heartbeat is older than the stale window."""

    id: UUID
    label: str
    last_seen_at: UtcDateTime

    @classmethod
    def of(cls, device: QuietDevice) -> Self:
        return cls(id=device.id, label=device.label, last_seen_at=device.last_seen_at)


class TruckLiveView(msgspec.Struct, frozen=True, kw_only=True):
    """One truck now. ``shift``: its open or paused shift, else null. ``wait_seconds``:
    what an order placed now would be promised (null while it takes no orders)."""

    truck_id: UUID
    truck_name: str
    shift: LiveShiftView | None
    orders_last_hour: int
    queued_tickets: int
    wait_seconds: int | None
    offline_devices: list[OfflineDeviceView]

    @classmethod
    def of(cls, truck: TruckLive) -> Self:
        return cls(
            truck_id=truck.truck_id,
            truck_name=truck.truck_name,
            shift=None if truck.shift is None else LiveShiftView.of(truck.shift),
            orders_last_hour=truck.orders_last_hour,
            queued_tickets=truck.queued_tickets,
            wait_seconds=truck.wait_seconds,
            offline_devices=[OfflineDeviceView.of(device) for device in truck.offline_devices],
        )


class FleetTotalsView(msgspec.Struct, frozen=True, kw_only=True):
    trucks: int
    open_shifts: int
    orders_last_hour: int
    queued_tickets: int
    longest_wait_seconds: int | None
    devices_offline: int

    @classmethod
    def of(cls, totals: FleetTotals) -> Self:
        return cls(
            trucks=totals.trucks,
            open_shifts=totals.open_shifts,
            orders_last_hour=totals.orders_last_hour,
            queued_tickets=totals.queued_tickets,
            longest_wait_seconds=totals.longest_wait_seconds,
            devices_offline=totals.devices_offline,
        )


class FleetLiveView(msgspec.Struct, frozen=True, kw_only=True):
    """The trucks in the caller's view (every active truck for owners and admins, their
    own for managers; not paginated: one line per truck of the fleet), by name, and
    their totals. ``version`` names this content: the stream's ``Last-Event-ID``."""

    at: UtcDateTime
    version: str
    trucks: list[TruckLiveView]
    totals: FleetTotalsView

    @classmethod
    def of(cls, view: FleetLive) -> Self:
        return cls(
            at=view.at,
            version=view.version,
            trucks=[TruckLiveView.of(truck) for truck in view.trucks],
            totals=FleetTotalsView.of(view.totals),
        )


class LiveChangeView(msgspec.Struct, frozen=True, kw_only=True):
    """One change of one truck (its SSE ``event`` is ``kind``): the truck's line now
    (null once removed from view), the device for ``device.*``, the totals after it, and
    the ``version`` of the view once applied (also the message's SSE ``id``)."""

    kind: LiveChangeKind
    at: UtcDateTime
    truck_id: UUID
    truck: TruckLiveView | None
    device: OfflineDeviceView | None
    totals: FleetTotalsView
    version: str

    @classmethod
    def of(cls, change: LiveChange) -> Self:
        return cls(
            kind=change.kind,
            at=change.at,
            truck_id=change.truck_id,
            truck=None if change.truck is None else TruckLiveView.of(change.truck),
            device=None if change.device is None else OfflineDeviceView.of(change.device),
            totals=FleetTotalsView.of(change.totals),
            version=change.version,
        )
