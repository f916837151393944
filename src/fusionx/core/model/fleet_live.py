"""The fleet as it is now, for its owners: each truck's open shift, orders of the last
hour, kitchen queue and wait, and the kitchen devices gone quiet; and what changed."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.shifts import ShiftState


class LiveShift(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    location_id: UUID
    state: ShiftState
    opened_at: datetime


class QuietDevice(msgspec.Struct, frozen=True, kw_only=True):
    """A kitchen device not revoked whose last heartbeat is older than the stale window."""

    id: UUID
    label: str
    last_seen_at: datetime


class TruckActivity(msgspec.Struct, frozen=True, kw_only=True):
    """What the database counts for one active truck (``FleetActivity``).

    ``orders_last_hour``: its orders that reached the kitchen (placed, or paid online)
    created since the hour's start, on any of its shifts. ``queued_tickets``: its open
    shift's tickets still to cook; ``typical_prep_seconds``: the mean of that shift's
    latest prep times (None before any), which the promised wait is made from.
    """

    truck_id: UUID
    truck_name: str
    shift: LiveShift | None
    orders_last_hour: int
    queued_tickets: int
    typical_prep_seconds: float | None
    quiet_devices: tuple[QuietDevice, ...] = ()


class TruckLive(msgspec.Struct, frozen=True, kw_only=True):
    """One truck's line of the live view. ``wait_seconds``: how long an order placed now
    would wait, by the promise an order gets; None while the truck takes no orders."""

    truck_id: UUID
    truck_name: str
    shift: LiveShift | None
    orders_last_hour: int
    queued_tickets: int
    wait_seconds: int | None
    offline_devices: tuple[QuietDevice, ...]


class FleetTotals(msgspec.Struct, frozen=True, kw_only=True):
    trucks: int
    open_shifts: int
    orders_last_hour: int
    queued_tickets: int
    # The longest wait of a truck taking orders; None when none takes orders.
    longest_wait_seconds: int | None
    devices_offline: int

    @classmethod
    def of(cls, trucks: tuple[TruckLive, ...]) -> FleetTotals:
        waits = [truck.wait_seconds for truck in trucks if truck.wait_seconds is not None]
        return cls(
            trucks=len(trucks),
            open_shifts=sum(1 for truck in trucks if truck.shift is not None),
            orders_last_hour=sum(truck.orders_last_hour for truck in trucks),
            queued_tickets=sum(truck.queued_tickets for truck in trucks),
            longest_wait_seconds=max(waits, default=None),
            devices_offline=sum(len(truck.offline_devices) for truck in trucks),
        )


class FleetLive(msgspec.Struct, frozen=True, kw_only=True):
    """The view at ``at``: the trucks in the reader's scope, by name, and their totals.
    ``version`` names its content (``version_of``): two views with the same version
    show the same thing, whenever they were read."""

    at: datetime
    trucks: tuple[TruckLive, ...]
    totals: FleetTotals
    version: str

    @classmethod
    def of(cls, at: datetime, trucks: tuple[TruckLive, ...]) -> FleetLive:
        return cls(at=at, trucks=trucks, totals=FleetTotals.of(trucks), version=version_of(trucks))


def version_of(trucks: tuple[TruckLive, ...]) -> str:
    """A digest of the trucks' lines in order: 16 hex digits, a name for this content."""
    return hashlib.sha256(msgspec.json.encode(trucks)).hexdigest()[:16]


class LiveChangeKind(enum.StrEnum):
    """What one message of the live stream says changed on one truck."""

    SHIFT_OPENED = "shift.opened"
    SHIFT_CHANGED = "shift.changed"  # paused, or resumed
    SHIFT_CLOSED = "shift.closed"
    ORDERS_CHANGED = "orders.changed"  # orders of the last hour, queue or wait
    DEVICE_OFFLINE = "device.offline"
    DEVICE_ONLINE = "device.online"
    TRUCK_ADDED = "truck.added"  # came into the reader's view (new, reactivated, assigned)
    TRUCK_REMOVED = "truck.removed"  # left it (retired, or the reader unassigned)


class LiveSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """The whole view: the first message of a connection (unless the reader holds it)."""

    view: FleetLive


class LiveChange(msgspec.Struct, frozen=True, kw_only=True):
    """One change of one truck: its line as it is now (None once removed), the device
    concerned for a device change, the fleet's totals after it, and the ``version`` of
    the view the reader holds once every change read with it is applied."""

    at: datetime
    kind: LiveChangeKind
    truck_id: UUID
    truck: TruckLive | None
    device: QuietDevice | None
    totals: FleetTotals
    version: str


LiveMessage = LiveSnapshot | LiveChange
