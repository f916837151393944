"""What an order costs: never negative, never more than an order can be."""

from __future__ import annotations

from collections.abc import Iterable

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.orders import ChosenModifier, OrderLine

# A million (of the currency) in cents: more than any food truck order, and what the
# 32-bit columns that keep totals and refunds hold with room to spare.
MAX_ORDER_TOTAL_CENTS = 100_000_000


def unit_price(field: str, item_price_cents: int, chosen: Iterable[ChosenModifier]) -> int:
    """The item's price plus its chosen options' deltas; 422 on ``field`` if the options
    (a smaller size, "no cheese") would take it below zero."""
    price = item_price_cents + sum(option.price_delta_cents for option in chosen)
    if price < 0:
        raise InvalidInput(field, Message("order.negative_price"))
    return price


def order_total(lines: Iterable[OrderLine]) -> int:
    """The lines' total, at most ``MAX_ORDER_TOTAL_CENTS`` (else 422 on ``lines``)."""
    total = sum(line.total_cents for line in lines)
    if total > MAX_ORDER_TOTAL_CENTS:
        raise InvalidInput(
            "lines", Message("order.total_too_large", {"high": MAX_ORDER_TOTAL_CENTS})
        )
    return total
