"""Orders and their lines. A line snapshots the item's name and price at order time."""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor


class OrderChannel(enum.StrEnum):
    WINDOW = "window"
    # Ordered ahead and paid through the payment gateway: the kitchen sees it once paid.
    ONLINE = "online"


class OrderState(enum.StrEnum):
    # Waiting for the payment gateway: no stock taken, no ticket on the kitchen display.
    AWAITING_PAYMENT = "awaiting_payment"
    # Stock taken and a ticket on the kitchen display (every window order starts here).
    PLACED = "placed"
    # Paid but it cannot be served (sold out meanwhile, shift closed, wrong amount).
    NEEDS_REFUND = "needs_refund"


class ChosenModifier(msgspec.Struct, frozen=True, kw_only=True):
    """An option picked for a line, with its name and price delta at order time."""

    group_id: UUID
    option_id: UUID
    name: str
    price_delta_cents: int = 0


class OrderLine(msgspec.Struct, frozen=True, kw_only=True):
    """``unit_price_cents`` is the item's price plus its modifiers' deltas."""

    item_id: UUID
    name: str
    unit_price_cents: int
    quantity: int
    notes: str | None = None
    modifiers: tuple[ChosenModifier, ...] = ()

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity


class Order(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    shift_id: UUID
    number: int
    channel: OrderChannel
    lines: tuple[OrderLine, ...]
    total_cents: int
    created_at: datetime
    created_by: Actor
    customer_name: str | None = None
    # Contact details: shown to the truck's staff only, never to its devices.
    customer_phone: str | None = None
    customer_email: str | None = None
    state: OrderState = OrderState.PLACED
    # The start of the pickup slot the order holds, when the shift has slots.
    pickup_at: datetime | None = None
    # When the kitchen should have it ready, as promised when it was placed.
    promised_ready_at: datetime | None = None

    def without_contact(self) -> Order:
        """The order as devices and the event stream see it: no phone, no email."""
        return msgspec.structs.replace(self, customer_phone=None, customer_email=None)
