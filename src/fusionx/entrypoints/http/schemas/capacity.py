"""Capacity limits on the wire: a throttle and pickup slots, for a shift or a truck."""

from __future__ import annotations

from typing import Annotated

import msgspec

from fusionx.core.model.capacity import CapacityLimits, PickupSlots, Throttle
from fusionx.core.use_cases.commands.set_capacity import SetCapacityRequest
from fusionx.core.use_cases.queries.view_capacity import CapacityInForce, CapacitySource
from fusionx.entrypoints.http.schemas.actors import ActorView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime


class ThrottleBody(RequestBody, frozen=True, kw_only=True):
    """At most ``max_orders`` orders and/or ``max_items`` items per rolling
    ``window_minutes``; ``window_orders_bypass`` lets walk-up orders through (they
    still count)."""

    window_minutes: Annotated[int, msgspec.Meta(ge=1, le=240)]
    max_orders: Annotated[int, msgspec.Meta(ge=1, le=10_000)] | None = None
    max_items: Annotated[int, msgspec.Meta(ge=1, le=100_000)] | None = None
    window_orders_bypass: bool = False

    def to_model(self) -> Throttle:
        return Throttle(
            window_minutes=self.window_minutes,
            max_orders=self.max_orders,
            max_items=self.max_items,
            window_orders_bypass=self.window_orders_bypass,
        )

    @classmethod
    def of(cls, throttle: Throttle) -> ThrottleBody:
        return cls(
            window_minutes=throttle.window_minutes,
            max_orders=throttle.max_orders,
            max_items=throttle.max_items,
            window_orders_bypass=throttle.window_orders_bypass,
        )


class SlotsBody(RequestBody, frozen=True, kw_only=True):
    """Pickup slots of ``slot_minutes`` on the clock (UTC), ``orders_per_slot`` each."""

    slot_minutes: Annotated[int, msgspec.Meta(ge=5, le=240)]
    orders_per_slot: Annotated[int, msgspec.Meta(ge=1, le=10_000)]

    def to_model(self) -> PickupSlots:
        return PickupSlots(slot_minutes=self.slot_minutes, orders_per_slot=self.orders_per_slot)

    @classmethod
    def of(cls, slots: PickupSlots) -> SlotsBody:
        return cls(slot_minutes=slots.slot_minutes, orders_per_slot=slots.orders_per_slot)


class CapacityBody(RequestBody, frozen=True, kw_only=True):
    """The whole setting: what is left out (or null) is not limited."""

    throttle: ThrottleBody | None = None
    slots: SlotsBody | None = None

    def to_request(self) -> SetCapacityRequest:
        return SetCapacityRequest(
            limits=CapacityLimits(
                throttle=self.throttle.to_model() if self.throttle else None,
                slots=self.slots.to_model() if self.slots else None,
            )
        )


class CapacityView(msgspec.Struct, frozen=True, kw_only=True):
    """The limits in force: ``source`` says whose (the shift's own, the truck's
    defaults, or ``none``); ``updated_at``/``updated_by`` who set them last."""

    source: CapacitySource
    throttle: ThrottleBody | None
    slots: SlotsBody | None
    updated_at: UtcDateTime | None
    updated_by: ActorView | None

    @classmethod
    def of(cls, capacity: CapacityInForce) -> CapacityView:
        setting = capacity.setting
        limits = setting.limits if setting else CapacityLimits()
        return cls(
            source=capacity.source,
            throttle=ThrottleBody.of(limits.throttle) if limits.throttle else None,
            slots=SlotsBody.of(limits.slots) if limits.slots else None,
            updated_at=setting.updated_at if setting else None,
            updated_by=ActorView.of(setting.updated_by) if setting else None,
        )
