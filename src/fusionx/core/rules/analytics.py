"""How a shift's facts become its figures by local hour, and figures become buckets.

``roll_up`` is the one definition of every figure: the rollup job stores what it
returns for a closed shift, and a query computes it afresh for the shifts the rollup
does not hold yet (open ones, or changed since), so both agree by construction.

Durations are kept as histograms, not lists, so buckets of many shifts merge by adding
counts: 15-second bins up to 10 minutes, 1-minute bins up to an hour, 5-minute bins up
to four hours, and one bin for anything longer. A percentile is read like PostgreSQL's
``percentile_cont`` (the rank ``fraction * (n - 1)``), placed inside its bin as if the
bin's tickets were spread evenly over it: exact to the bin's width.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from fusionx.core.model.analytics import (
    Bucket,
    BucketFigures,
    HourFigures,
    LocalHour,
    ReasonKind,
    ReasonRate,
    ShiftRollup,
)
from fusionx.core.model.analytics_facts import MovementFact, ShiftFacts
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.summary import BestSeller, net_sales_cents

# (first bin, its lower bound in seconds, width in seconds) of each band of bins: the one
# definition of the bins, which PostgreSQL's fresh tail spells in SQL from these numbers.
BIN_BANDS = ((0, 0, 15), (40, 600, 60), (90, 3600, 300))
LAST_BIN = 126  # 4 hours and more
_QUARTER = timedelta(minutes=15)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def bin_of(seconds: float) -> int:
    """The histogram bin a duration falls in (a negative one: the first)."""
    for first, low, width in reversed(BIN_BANDS):
        if seconds >= low:
            return min(first + int((seconds - low) // width), LAST_BIN)
    return 0


def bin_bounds(index: int) -> tuple[float, float]:
    """The seconds ``[low, high)`` of a bin; the last bin's is empty (its low)."""
    if index >= LAST_BIN:
        return 4 * 3600.0, 4 * 3600.0
    for first, low, width in reversed(BIN_BANDS):
        if index >= first:
            start = low + (index - first) * width
            return float(start), float(start + width)
    raise ValueError(index)


def percentile_of(histogram: Mapping[int, int], fraction: float) -> float | None:
    """``percentile_cont`` over the tickets of ``histogram``, each bin's tickets spread
    evenly over it (the k-th of n at ``(k + ½) / n`` of its width); None when empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = fraction * (total - 1)
    below, above = math.floor(rank), math.ceil(rank)
    low, high = _value_at(histogram, below), _value_at(histogram, above)
    return round(low + (high - low) * (rank - below), 3)


def _value_at(histogram: Mapping[int, int], rank: int) -> float:
    seen = 0
    for index in sorted(histogram):
        count = histogram[index]
        if rank < seen + count:
            low, high = bin_bounds(index)
            return low + (high - low) * (rank - seen + 0.5) / count
        seen += count
    raise AssertionError("rank past the histogram")


def local_hour(at: datetime, zone: ZoneInfo) -> LocalHour:
    local = at.astimezone(zone)
    return LocalHour(local.date(), local.hour)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def roll_up(facts: ShiftFacts) -> ShiftRollup:
    """A shift's figures by local hour (see ``HourFigures`` for what each counts)."""
    zone = ZoneInfo(facts.zone)
    hours: dict[LocalHour, HourFigures] = defaultdict(HourFigures)
    prep: dict[LocalHour, Counter[int]] = defaultdict(Counter)
    wait: dict[LocalHour, Counter[int]] = defaultdict(Counter)
    reasons: dict[LocalHour, dict[tuple[ReasonKind, CancelReason], tuple[int, int]]] = defaultdict(
        dict
    )
    items: dict[date, dict[UUID, tuple[str, int, int]]] = defaultdict(dict)
    for order in facts.orders:
        at = local_hour(order.created_at, zone)
        figures = hours[at]
        figures.orders += 1
        figures.gross_cents += order.total_cents
        if order.ready_at is not None:
            wait[at][bin_of((order.ready_at - order.created_at).total_seconds())] += 1
            if order.prep_at is not None:
                prep[at][bin_of((order.ready_at - order.prep_at).total_seconds())] += 1
        if order.cancelled:
            figures.cancelled_orders += 1
            figures.cancelled_cents += order.total_cents
            if order.cancel_reason is not None:
                _count(
                    reasons[at],
                    (ReasonKind.CANCELLATION, order.cancel_reason),
                    1,
                    order.total_cents,
                )
            continue
        if order.refunds:
            figures.refunded_orders += 1
            by_reason: dict[CancelReason, int] = {}
            for reason, cents in order.refunds:
                figures.refunded_cents += cents
                by_reason[reason] = by_reason.get(reason, 0) + cents
            for reason, cents in by_reason.items():
                _count(reasons[at], (ReasonKind.REFUND, reason), 1, cents)
        sold = items[at.day]
        for line in order.lines:
            name, quantity, cents = sold.get(line.item_id, (line.name, 0, 0))
            sold[line.item_id] = (
                max(name, line.name),
                quantity + line.quantity,
                cents + line.quantity * line.unit_price_cents,
            )
    for start, end in sold_out_periods(facts.movements, facts.ends_at):
        hours[local_hour(start, zone)].sold_outs += 1
        for hour, seconds in _split_by_hour(start, end, zone).items():
            hours[hour].sold_out_seconds += seconds
    for refused_at, count in facts.refusals:
        hours[local_hour(refused_at, zone)].throttle_refusals += count
    return ShiftRollup(
        shift_id=facts.shift_id,
        truck_id=facts.truck_id,
        hours=dict(hours),
        prep={at: dict(bins) for at, bins in prep.items()},
        wait={at: dict(bins) for at, bins in wait.items()},
        reasons=dict(reasons),
        items=dict(items),
    )


def _count(
    table: dict[tuple[ReasonKind, CancelReason], tuple[int, int]],
    key: tuple[ReasonKind, CancelReason],
    orders: int,
    cents: int,
) -> None:
    before = table.get(key, (0, 0))
    table[key] = (before[0] + orders, before[1] + cents)


def sold_out_periods(
    movements: Iterable[MovementFact], ends_at: datetime
) -> list[tuple[datetime, datetime]]:
    """From each movement that took an item to zero, until the next that put some
    back (or ``ends_at``, the shift's end)."""
    by_item: dict[UUID, list[MovementFact]] = defaultdict(list)
    for movement in movements:
        by_item[movement.item_id].append(movement)
    periods = []
    for ledger in by_item.values():
        ledger.sort(key=lambda movement: movement.at)
        since: datetime | None = None
        for movement in ledger:
            if since is None and movement.on_hand_after == 0 and movement.delta < 0:
                since = movement.at
            elif since is not None and movement.on_hand_after > 0:
                periods.append((since, movement.at))
                since = None
        if since is not None and since < ends_at:
            periods.append((since, ends_at))
    return periods


def _split_by_hour(start: datetime, end: datetime, zone: ZoneInfo) -> dict[LocalHour, int]:
    """Whole seconds of ``[start, end)`` in each local hour. Every zone's offset is a
    whole number of quarter hours, so a UTC quarter hour lies in one local hour."""
    spans: dict[LocalHour, float] = defaultdict(float)
    at = start
    while at < end:
        quarter = _EPOCH + ((at - _EPOCH) // _QUARTER + 1) * _QUARTER
        until = min(quarter, end)
        spans[local_hour(at, zone)] += (until - at).total_seconds()
        at = until
    return {hour: math.floor(seconds) for hour, seconds in spans.items()}


class Tally:
    """Figures of one bucket while they are added up."""

    def __init__(self) -> None:
        self.figures = HourFigures()
        self.prep: Counter[int] = Counter()
        self.wait: Counter[int] = Counter()
        self.reasons: dict[tuple[ReasonKind, CancelReason], tuple[int, int]] = {}

    def add_reason(self, kind: ReasonKind, reason: CancelReason, orders: int, cents: int) -> None:
        _count(self.reasons, (kind, reason), orders, cents)

    def figures_of(self, day: date, hour: int | None) -> BucketFigures:
        f = self.figures
        live = f.orders - f.cancelled_orders
        net = net_sales_cents(f.gross_cents, f.cancelled_cents, f.refunded_cents)
        return BucketFigures(
            day=day,
            hour=hour,
            orders=f.orders,
            gross_cents=f.gross_cents,
            net_cents=net,
            average_ticket_cents=round(net / live) if live else None,
            prep_p50_seconds=percentile_of(self.prep, 0.5),
            prep_p90_seconds=percentile_of(self.prep, 0.9),
            wait_p50_seconds=percentile_of(self.wait, 0.5),
            wait_p90_seconds=percentile_of(self.wait, 0.9),
            throttle_refusals=f.throttle_refusals,
            sold_outs=f.sold_outs,
            sold_out_seconds=f.sold_out_seconds,
            cancellations=self._rates(ReasonKind.CANCELLATION),
            refunds=self._rates(ReasonKind.REFUND),
        )

    def _rates(self, kind: ReasonKind) -> tuple[ReasonRate, ...]:
        return tuple(
            ReasonRate(
                reason=reason,
                orders=orders,
                cents=cents,
                rate=round(orders / self.figures.orders, 4) if self.figures.orders else 0.0,
            )
            for (of, reason), (orders, cents) in sorted(self.reasons.items())
            if of is kind
        )


BucketKey = tuple[date, int | None]


def bucket_of(bucket: Bucket, day: date, hour: int) -> BucketKey:
    if bucket is Bucket.HOUR:
        return day, hour
    if bucket is Bucket.DAY:
        return day, None
    return monday_of(day), None


def add_rollup(
    tallies: dict[BucketKey, Tally],
    rollup: ShiftRollup,
    bucket: Bucket,
    first: date,
    last: date,
) -> None:
    """Add a shift's figures inside the days ``first`` to ``last`` to the buckets."""

    def tally(at: LocalHour) -> Tally | None:
        if not first <= at.day <= last:
            return None
        key = bucket_of(bucket, at.day, at.hour)
        if key not in tallies:
            tallies[key] = Tally()
        return tallies[key]

    for at, figures in rollup.hours.items():
        if (target := tally(at)) is not None:
            target.figures.add(figures)
    for source, name in ((rollup.prep, "prep"), (rollup.wait, "wait")):
        for at, bins in source.items():
            if (target := tally(at)) is not None:
                getattr(target, name).update(bins)
    for at, reasons in rollup.reasons.items():
        if (target := tally(at)) is not None:
            for (kind, reason), (orders, cents) in reasons.items():
                target.add_reason(kind, reason, orders, cents)


def buckets_of(tallies: Mapping[BucketKey, Tally]) -> tuple[BucketFigures, ...]:
    return tuple(
        tallies[key].figures_of(*key)
        for key in sorted(tallies, key=lambda key: (key[0], key[1] or 0))
    )


class ItemTally:
    """One item's sales while they are added up."""

    def __init__(self, name: str) -> None:
        self.name, self.quantity, self.cents = name, 0, 0

    def add(self, name: str, quantity: int, cents: int) -> None:
        self.name = max(self.name, name)
        self.quantity += quantity
        self.cents += cents


def add_items(sold: dict[UUID, ItemTally], rollup: ShiftRollup, first: date, last: date) -> None:
    """Add a shift's item sales on the days ``first`` to ``last`` to ``sold``."""
    for day, items in rollup.items.items():
        if first <= day <= last:
            for item_id, (name, quantity, cents) in items.items():
                sold.setdefault(item_id, ItemTally(name)).add(name, quantity, cents)


def top_of(sold: Mapping[UUID, ItemTally], limit: int) -> tuple[BestSeller, ...]:
    """The best sellers by quantity, then name, then id (as the shift summary ranks)."""
    ranked = sorted(
        (
            BestSeller(item_id=item_id, name=t.name, quantity=t.quantity, sales_cents=t.cents)
            for item_id, t in sold.items()
        ),
        key=lambda seller: (-seller.quantity, seller.name, str(seller.item_id)),
    )
    return tuple(ranked[:limit])
