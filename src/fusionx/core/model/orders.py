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
    # Waiting for the payment gateway, no ticket on the kitchen display; its stock is held
    # for it (``Order.stock_held``) until it is paid, its payment fails or the hold lapses.
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
    # What the customer is charged (``rules.order_prices.order_money``): the lines' sum
    # less the discount, plus the tax where prices exclude it.
    total_cents: int
    created_at: datetime
    created_by: Actor
    customer_name: str | None = None
    # Contact details: shown to the truck's staff only, never to its devices.
    customer_phone: str | None = None
    customer_email: str | None = None
    # The customer account that placed it, when a signed-in customer did: whose order it is.
    customer_id: UUID | None = None
    state: OrderState = OrderState.PLACED
    # The start of the pickup slot the order holds, when the shift has slots.
    pickup_at: datetime | None = None
    # When the kitchen should have it ready, as promised when it was placed.
    promised_ready_at: datetime | None = None
    # The tax in ``total_cents`` at the location's rate (basis points) then, rounded once
    # on the order; ``tax_inclusive``: the prices held it. What came off the lines' sum.
    tax_cents: int = 0
    tax_rate_bp: int = 0
    tax_inclusive: bool = False
    discount_cents: int = 0
    # An order awaiting payment holds its units from creation until it is paid, its
    # payment fails or the hold lapses: then it gives them back, and a late payment
    # takes them again (or needs a refund). Orders placed before holds existed hold none.
    stock_held: bool = False

    @property
    def subtotal_cents(self) -> int:
        """The lines' sum at their recorded prices, before discount and tax."""
        return sum(line.total_cents for line in self.lines)

    @property
    def quantities(self) -> dict[UUID, int]:
        """Units ordered of each item, over all its lines, in item id order: what the
        order takes from stock, and what a cancellation gives back."""
        units: dict[UUID, int] = {}
        for line in self.lines:
            units[line.item_id] = units.get(line.item_id, 0) + line.quantity
        return dict(sorted(units.items()))

    @property
    def item_count(self) -> int:
        """Units ordered, all items together: what kitchen capacity counts."""
        return sum(line.quantity for line in self.lines)

    def paid_cents(self, taken_by_gateway: int | None) -> int:
        """What the customer paid: a window order its total, when it is taken; an online
        order what the gateway reported taking for it (nothing until it has), which is
        not the total when the amounts did not match."""
        if self.channel is OrderChannel.ONLINE:
            return taken_by_gateway or 0
        return self.total_cents

    def refundable_cents(self, paid: int, *, refunded: int = 0) -> int:
        """What refunds may still give back: what was paid, never more than the order's
        lines are worth (a gateway's overpayment is its own to return), less what was
        ``refunded`` already. Zero or less: nothing is left."""
        return max(0, min(paid, self.total_cents)) - refunded

    def charged_for(self, value_cents: int) -> int:
        """What the customer was charged for ``value_cents`` of its lines at menu prices:
        that part's share of the total, so the tax paid on top (and the discount taken
        off) go with it, rounded half up. An untaxed, undiscounted order charged exactly
        the lines' value."""
        subtotal = self.subtotal_cents
        if subtotal <= 0:
            return 0
        return (2 * value_cents * self.total_cents + subtotal) // (2 * subtotal)

    def units_left(self, refunded: dict[int, int]) -> list[int]:
        """Per line (by index), the units not refunded yet, given ``refunded`` so far."""
        return [line.quantity - refunded.get(i, 0) for i, line in enumerate(self.lines)]

    def without_contact(self) -> Order:
        """The order as devices and the event stream see it: no phone, no email, no
        customer account."""
        return msgspec.structs.replace(
            self, customer_phone=None, customer_email=None, customer_id=None
        )
