"""A week of trading on some trucks, as the weekly summary email tells it."""

from __future__ import annotations

from datetime import date

import msgspec

from fusionx.core.model.summary import BestSeller, net_sales_cents


class WeekFigures(msgspec.Struct, frozen=True, kw_only=True):
    """Orders placed in the week on the trucks, cancelled ones included in ``orders``
    and ``gross_cents`` but not in ``net_cents``, nor in ``top_items``.
    ``cancelled_cents`` is the cancelled orders' totals, ``refunded_cents`` what
    succeeded refunds gave back on the week's orders not cancelled: net sales follow
    the shift summary's rule (``net_sales_cents``). ``daily_orders`` holds seven
    counts, Monday first, by the recipient's local day. Prep times run from a ticket's
    move to in prep to its move to ready; None without such tickets."""

    orders: int
    gross_cents: int
    cancelled_cents: int
    refunded_cents: int
    live_orders: int
    daily_orders: tuple[int, ...]
    prep_p50_seconds: float | None = None
    prep_p90_seconds: float | None = None
    top_items: tuple[BestSeller, ...] = ()

    @property
    def net_cents(self) -> int:
        return net_sales_cents(self.gross_cents, self.cancelled_cents, self.refunded_cents)

    @property
    def average_ticket_cents(self) -> int | None:
        """Net sales over the orders that were not cancelled, rounded to the cent."""
        if not self.live_orders:
            return None
        return round(self.net_cents / self.live_orders)


class WeeklyDigest(msgspec.Struct, frozen=True, kw_only=True):
    """What one recipient is told: the week starting ``week`` (a Monday, local to
    ``zone``) on ``truck_count`` trucks, beside the week before."""

    week: date
    zone: str
    truck_count: int
    this_week: WeekFigures
    last_week: WeekFigures
