"""What an order costs: never negative, never more than an order can be."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

import msgspec

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


# Tax rates are basis points of the price: 0 (untaxed) to 10,000 (100 %), more than any
# sales tax or VAT in force.
MAX_TAX_RATE_BP = 10_000


class OrderMoney(msgspec.Struct, frozen=True, kw_only=True):
    """An order's money in cents. ``subtotal_cents`` is the lines' sum at menu prices,
    ``discount_cents`` what comes off it, ``tax_cents`` the tax in what is charged and
    ``total_cents`` what the customer is charged: for exclusive taxes subtotal less
    discount plus tax; for inclusive ones (the prices hold the tax) subtotal less
    discount, of which ``tax_cents`` is the tax."""

    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    tax_rate_bp: int = 0
    tax_inclusive: bool = False


def half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest integer, halves up (both >= 0,
    ``denominator`` > 0): in integers, so no float ever rounds a cent."""
    return (2 * numerator + denominator) // (2 * denominator)


def tax_of(taxable_cents: int, *, rate_bp: int, inclusive: bool) -> int:
    """The tax on ``taxable_cents`` at ``rate_bp`` basis points, rounded once, half up.

    Exclusive: ``taxable * rate / 10000``; inclusive (the amount holds the tax):
    ``taxable * rate / (10000 + rate)``, so that the amount less its tax, taxed again,
    gives the same tax back (within the one cent of rounding)."""
    if rate_bp == 0 or taxable_cents <= 0:
        return 0
    if inclusive:
        return half_up(taxable_cents * rate_bp, 10_000 + rate_bp)
    return half_up(taxable_cents * rate_bp, 10_000)


def order_money(
    lines: Iterable[OrderLine],
    *,
    rate_bp: int = 0,
    inclusive: bool = False,
    discount_cents: int = 0,
) -> OrderMoney:
    """What an order of ``lines`` costs at a location taxing ``rate_bp`` (``inclusive`` or
    not), ``discount_cents`` off. The tax is rounded once, on the whole order (half up),
    never per line: a cart's tax does not depend on how it was split into lines. An
    untaxed order's total is its subtotal, as it always was."""
    subtotal = order_total(lines)
    discount = min(max(0, discount_cents), subtotal)
    taxable = subtotal - discount
    tax = tax_of(taxable, rate_bp=rate_bp, inclusive=inclusive)
    return OrderMoney(
        subtotal_cents=subtotal,
        discount_cents=discount,
        tax_cents=tax,
        total_cents=taxable if inclusive else taxable + tax,
        tax_rate_bp=rate_bp,
        tax_inclusive=inclusive,
    )


class MoneyFields(TypedDict):
    total_cents: int
    tax_cents: int
    tax_rate_bp: int
    tax_inclusive: bool
    discount_cents: int


def money_fields(money: OrderMoney) -> MoneyFields:
    """What an ``Order`` records of ``money`` (its subtotal is its lines' sum)."""
    return MoneyFields(
        total_cents=money.total_cents,
        tax_cents=money.tax_cents,
        tax_rate_bp=money.tax_rate_bp,
        tax_inclusive=money.tax_inclusive,
        discount_cents=money.discount_cents,
    )
