"""Pricing a cart against a shift's menu: what a window order, an online order, a
customer's quote and their checkout all do the same way, so that the price a customer is
quoted is the price they are charged.

Never a client's price: every line's unit price is the truck's price of the item now
plus its chosen options' deltas, and the money (subtotal, discount, tax, total) comes
from ``rules.order_prices.order_money`` at the tax of the location the shift stands at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.messages import Message, Moment
from fusionx.core.model.menu import MenuItem
from fusionx.core.model.orders import ChosenModifier, OrderLine
from fusionx.core.model.shifts import Shift
from fusionx.core.model.stock import Shortage
from fusionx.core.rules.modifiers import choose_modifiers
from fusionx.core.rules.order_prices import OrderMoney, order_money, unit_price
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.shift_menu import OrderMenu, menu_for_order
from fusionx.ports.unit_of_work import UnitOfWork

MAX_LINES = 50
MAX_QUANTITY = 99


class OrderLineRequest(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    quantity: int
    notes: str | None = None
    modifier_option_ids: tuple[UUID, ...] = ()


class PricedCart(msgspec.Struct, frozen=True, kw_only=True):
    """The lines as they would be ordered now (snapshots of names and prices), their
    money, and the menu items they name (for the messages that name them)."""

    lines: tuple[OrderLine, ...]
    money: OrderMoney
    items: dict[UUID, MenuItem]

    @property
    def quantities(self) -> dict[UUID, int]:
        units: dict[UUID, int] = {}
        for line in self.lines:
            units[line.item_id] = units.get(line.item_id, 0) + line.quantity
        return units


async def price_cart(
    uow: UnitOfWork,
    shift: Shift,
    lines: Sequence[OrderLineRequest],
    now: datetime,
    *,
    discount_cents: int = 0,
) -> PricedCart:
    """Check and price ``lines`` at ``shift``'s truck now.

    Rules: 1 to 50 lines, quantity 1 to 99, notes up to 500 characters; each item on the
    shift's menu and available now (inside its availability windows); options of the
    item's modifier groups within each group's minimum and maximum; a unit price never
    below zero; a subtotal of at most 1,000,000.00. Every mistake is a 422 naming the
    line's field. Stock is not looked at (``shortage_conflict`` says what is short).
    """
    menu = await menu_for_order(uow, shift, now, {line.item_id for line in lines})
    return price_lines(menu, lines, discount_cents=discount_cents)


def price_lines(
    menu: OrderMenu, lines: Sequence[OrderLineRequest], *, discount_cents: int = 0
) -> PricedCart:
    """``price_cart`` on the shift's menu already read (``menu_for_order``)."""
    notes = check_lines(lines)
    items, options = _on_menu(menu, lines)
    ordered = tuple(
        OrderLine(
            item_id=line.item_id,
            name=items[line.item_id].name,
            unit_price_cents=unit_price(
                f"lines[{index}].modifiers", items[line.item_id].price_cents, chosen
            ),
            quantity=line.quantity,
            notes=note,
            modifiers=chosen,
        )
        for index, (line, note, chosen) in enumerate(zip(lines, notes, options, strict=True))
    )
    money = order_money(
        ordered,
        rate_bp=menu.tax_rate_bp,
        inclusive=menu.tax_inclusive,
        discount_cents=discount_cents,
    )
    return PricedCart(lines=ordered, money=money, items=items)


def check_lines(lines: Sequence[OrderLineRequest]) -> list[str | None]:
    """Check the lines' shape; return each line's cleaned notes."""
    if not 1 <= len(lines) <= MAX_LINES:
        raise InvalidInput("lines", Message("order.lines_count", {"high": MAX_LINES}))
    notes: list[str | None] = []
    for index, line in enumerate(lines):
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise InvalidInput(
                f"lines[{index}].quantity",
                Message("input.range", {"low": 1, "high": MAX_QUANTITY}),
            )
        notes.append(
            require_text(f"lines[{index}].notes", line.notes, max_length=500)
            if line.notes
            else None
        )
    return notes


def shortage_conflict(shortages: Sequence[Shortage], items: dict[UUID, MenuItem]) -> Conflict:
    """The 409 for a cart the shift has too little stock for, naming each short item."""
    named = [
        {
            "item_id": str(s.item_id),
            "name": items[s.item_id].name,
            "requested": s.requested,
            "available": s.available,
        }
        for s in shortages
    ]
    left = tuple(
        Message("order.item_left", {"item": items[s.item_id].name, "count": s.available})
        for s in shortages
    )
    return Conflict(Message("order.not_enough_stock", {"items": left}), shortages=named)


def _on_menu(
    menu: OrderMenu, lines: Sequence[OrderLineRequest]
) -> tuple[dict[UUID, MenuItem], list[tuple[ChosenModifier, ...]]]:
    """Each line's item as this shift sells it (at the truck's price), and its options."""
    items: dict[UUID, MenuItem] = {}
    options = []
    for index, line in enumerate(lines):
        entry = menu.entries.get(line.item_id)
        if entry is None:
            raise InvalidInput(f"lines[{index}].item_id", Message("order.not_on_menu"))
        if not entry.available:
            field, available_from = f"lines[{index}].item_id", entry.available_from
            if available_from is None:
                raise InvalidInput(field, Message("order.never_available"))
            when = Moment(available_from)
            raise InvalidInput(field, Message("order.available_from", {"when": when}))
        items[line.item_id] = entry.item
        options.append(
            choose_modifiers(
                f"lines[{index}].modifiers", entry.modifier_groups, line.modifier_option_ids
            )
        )
    return items, options
