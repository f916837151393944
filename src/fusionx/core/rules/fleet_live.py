"""The live fleet view's pure rules: a truck's line from what the database counted, and
the changes between two lines of the same truck."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.model.fleet_live import (
    LiveChangeKind,
    QuietDevice,
    TruckActivity,
    TruckLive,
)
from fusionx.core.model.shifts import ShiftState
from fusionx.core.rules.capacity import promised_ready_at


def line_of(activity: TruckActivity, at: datetime) -> TruckLive:
    """The truck's line. Its wait is the promise an order placed now would get (the queue
    and its own ticket at the shift's typical prep time), counted from the whole second,
    so two reads of an unchanged kitchen give the same wait."""
    shift = activity.shift
    wait = None
    if shift is not None and shift.state is ShiftState.OPEN:
        now = at.replace(microsecond=0)
        preps = () if activity.typical_prep_seconds is None else (activity.typical_prep_seconds,)
        wait = int((promised_ready_at(now, activity.queued_tickets, preps) - now).total_seconds())
    return TruckLive(
        truck_id=activity.truck_id,
        truck_name=activity.truck_name,
        shift=shift,
        orders_last_hour=activity.orders_last_hour,
        queued_tickets=activity.queued_tickets,
        wait_seconds=wait,
        offline_devices=activity.quiet_devices,
    )


Change = tuple[LiveChangeKind, QuietDevice | None]


def changes_between(before: TruckLive | None, after: TruckLive | None) -> list[Change]:
    """What a reader holding ``before`` is told to reach ``after`` (None: not in view).

    A truck coming into view or leaving it is one change, whatever else differs; a new
    shift where another was is that one closed, then this one opened; its orders, queue
    or wait changed is ``orders.changed``, unless its shift changed (that message carries
    the line, the wait a pause ended included); a device is offline from the moment it
    is in the list, online once it left it.
    """
    if before is None or after is None:
        if before is after:
            return []
        return [
            (LiveChangeKind.TRUCK_ADDED if before is None else LiveChangeKind.TRUCK_REMOVED, None)
        ]
    changes: list[Change] = []
    old, new = before.shift, after.shift
    if old is not None and (new is None or new.id != old.id):
        changes.append((LiveChangeKind.SHIFT_CLOSED, None))
    if new is not None and (old is None or new.id != old.id):
        changes.append((LiveChangeKind.SHIFT_OPENED, None))
    elif new is not None and old is not None and new.state is not old.state:
        changes.append((LiveChangeKind.SHIFT_CHANGED, None))
    if not changes and (before.orders_last_hour, before.queued_tickets, before.wait_seconds) != (
        after.orders_last_hour,
        after.queued_tickets,
        after.wait_seconds,
    ):
        changes.append((LiveChangeKind.ORDERS_CHANGED, None))
    was = {device.id: device for device in before.offline_devices}
    now = {device.id: device for device in after.offline_devices}
    changes += [(LiveChangeKind.DEVICE_OFFLINE, d) for i, d in now.items() if i not in was]
    changes += [(LiveChangeKind.DEVICE_ONLINE, d) for i, d in was.items() if i not in now]
    return changes
