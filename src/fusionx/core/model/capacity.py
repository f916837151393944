"""How much a shift's kitchen takes on: a throttle over a rolling window, and pickup slots."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.tickets import TicketState

# Tickets still to cook: what an order's promise waits behind (ready ones are done).
QUEUED_STATES = frozenset({TicketState.NEW, TicketState.IN_PREP})


# Where the limits in force come from: the shift's own, its truck's defaults, none. (No
# docstring: it would become the enum's description in the published API documents.)
class CapacitySource(enum.StrEnum):
    SHIFT = "shift"
    TRUCK = "truck"
    NONE = "none"


class Throttle(msgspec.Struct, frozen=True, kw_only=True):
    """At most ``max_orders`` orders and/or ``max_items`` items per rolling window.

    Items are what the kitchen feels: an order of six burritos weighs six. Walk-up
    (window) orders skip the throttle when ``window_orders_bypass`` is set; they still
    count towards it.
    """

    window_minutes: int
    max_orders: int | None = None
    max_items: int | None = None
    window_orders_bypass: bool = False

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.window_minutes)


class PickupSlots(msgspec.Struct, frozen=True, kw_only=True):
    """Pickup times in slots of ``slot_minutes`` (aligned on the clock: 12:00, 12:15…),
    each taking at most ``orders_per_slot`` orders."""

    slot_minutes: int
    orders_per_slot: int

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)


class CapacityLimits(msgspec.Struct, frozen=True, kw_only=True):
    """No throttle and no slots means no limit."""

    throttle: Throttle | None = None
    slots: PickupSlots | None = None


class CapacitySetting(msgspec.Struct, frozen=True, kw_only=True):
    """Limits as a manager last set them, and who did, when."""

    limits: CapacityLimits
    updated_at: datetime
    updated_by: Actor


class RecentOrder(msgspec.Struct, frozen=True, kw_only=True):
    """An order inside a throttle window: when it came in and how many items it has."""

    at: datetime
    items: int


class KitchenLoad(msgspec.Struct, frozen=True, kw_only=True):
    """What a promised ready time is computed from: tickets still to cook, and the
    latest prep times."""

    queued_tickets: int
    recent_prep_seconds: tuple[float, ...] = ()
