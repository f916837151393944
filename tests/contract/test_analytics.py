"""Fleet analytics on every backend: the figures by local hour, day and week, the same
whether a shift is read from its rows or from the rollup, and never stale after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec

from fusionx.core.model.analytics import AnalyticsRange, Bucket, BucketFigures
from fusionx.core.model.cancellations import Cancellation, CancelReason
from fusionx.core.model.events import NewEvent, OrderRefunded
from fusionx.core.model.orders import Order
from fusionx.core.model.refunds import Refund, RefundStatus
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.stock import StockReason
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_movement, a_ticket, an_actor, an_order, new_id
from tests.support.scenes import ShiftScene, a_shift_scene, with_tickets

PARIS = ZoneInfo("Europe/Paris")
KOLKATA = ZoneInfo("Asia/Kolkata")  # half an hour off any UTC hour
DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 12, 9, tzinfo=UTC)


def _paris(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 10, hour, minute, tzinfo=PARIS).astimezone(UTC)


class _Trading(msgspec.Struct, frozen=True, kw_only=True):
    paris: ShiftScene
    kolkata: ShiftScene
    orders: tuple[Order, ...]


async def _trading(uow_factory: UnitOfWorkFactory) -> _Trading:
    paris = await a_shift_scene(uow_factory, items=2, location={"timezone": "Europe/Paris"})
    kolkata = await a_shift_scene(uow_factory, items=1, location={"timezone": "Asia/Kolkata"})
    items, far = list(paris.items), list(kolkata.items)
    orders = (
        an_order(paris.shift.id, items, number=1, created_at=_paris(12, 10)),
        an_order(paris.shift.id, items, number=2, created_at=_paris(12, 40)),
        an_order(paris.shift.id, items[:1], number=3, created_at=_paris(13, 5)),
        # 23:50 and 00:10 in Kolkata: two local days, one UTC hour apart.
        an_order(
            kolkata.shift.id,
            far,
            number=1,
            created_at=datetime(2026, 3, 10, 23, 50, tzinfo=KOLKATA).astimezone(UTC),
        ),
        an_order(
            kolkata.shift.id,
            far,
            number=2,
            created_at=datetime(2026, 3, 11, 0, 10, tzinfo=KOLKATA).astimezone(UTC),
        ),
    )
    first, cancelled, refunded = orders[:3]

    def ticket_for(order: Order) -> Ticket:
        if order is cancelled:
            return a_ticket(order, state=TicketState.CANCELLED)
        if order is first:
            return a_ticket(
                order,
                state=TicketState.READY,
                prep_at=_paris(12, 12),
                ready_at=_paris(12, 20),
            )
        if order is refunded:
            return a_ticket(
                order, state=TicketState.READY, prep_at=_paris(13, 6), ready_at=_paris(13, 16)
            )
        return a_ticket(order)

    placed = await with_tickets(uow_factory, orders, ticket_for)
    # An online order never paid has no ticket: it is no order to the figures.
    unpaid = an_order(paris.shift.id, items, number=4, created_at=_paris(12, 15))
    item = items[0].id
    async with uow_factory() as uow:
        # Both open at 09:00 in Paris (13:30 in Kolkata), before any of their orders.
        for scene in (paris, kolkata):
            await uow.shifts.update(msgspec.structs.replace(scene.shift, opened_at=_paris(9)))
        await uow.orders.add(unpaid)
        await uow.cancellations.add(
            Cancellation(
                order_id=cancelled.id,
                ticket_id=placed[1][1].id,
                shift_id=paris.shift.id,
                number=2,
                reason=CancelReason.CUSTOMER_REQUEST,
                from_state=TicketState.NEW,
                stock_returned=False,
                amount_cents=cancelled.total_cents,
                actor=an_actor(),
                at=_paris(12, 45),
            )
        )
        await uow.refunds.add(_refund(refunded, 300, CancelReason.KITCHEN_ERROR, _paris(14)))
        # Sold out from 12:30 to 13:15: half an hour in the 12 o'clock, a quarter in the 13.
        for delta, at, reason in (
            (5, _paris(11), StockReason.RESTOCK),
            (-5, _paris(12, 30), StockReason.WASTE),
            (3, _paris(13, 15), StockReason.RESTOCK),
        ):
            assert await uow.stock.adjust(a_movement(paris.shift.id, item, delta, reason, at=at))
        await uow.analytics.count_refusal(paris.shift.id, _paris(12, 50))
        await uow.analytics.count_refusal(paris.shift.id, _paris(12, 55))
        await uow.commit()
    return _Trading(paris=paris, kolkata=kolkata, orders=orders)


def _refund(order: Order, cents: int, reason: CancelReason, at: datetime) -> Refund:
    return Refund(
        id=new_id(),
        order_id=order.id,
        shift_id=order.shift_id,
        reason=reason,
        amount_cents=cents,
        lines=(),
        actor=an_actor(),
        at=at,
    )


async def _report(
    uow_factory: UnitOfWorkFactory, bucket: Bucket, days: int = 2
) -> tuple[BucketFigures, ...]:
    span = AnalyticsRange(first=DAY, last=DAY + timedelta(days=days - 1), bucket=bucket)
    async with uow_factory() as uow:
        return await uow.analytics.report(None, span, NOW)


async def _close(uow_factory: UnitOfWorkFactory, *scenes: ShiftScene) -> None:
    async with uow_factory() as uow:
        for scene in scenes:
            closed = msgspec.structs.replace(
                scene.shift, opened_at=_paris(9), state=ShiftState.CLOSED, closed_at=_paris(23)
            )
            await uow.shifts.update(closed)
        await uow.commit()


async def test_figures_by_local_day_hour_and_week(uow_factory: UnitOfWorkFactory) -> None:
    trading = await _trading(uow_factory)
    _, cancelled, _, late, after_midnight = trading.orders

    tenth, eleventh = await _report(uow_factory, Bucket.DAY)

    gross = sum(order.total_cents for order in trading.orders[:4])
    assert (tenth.day, tenth.hour, tenth.orders, tenth.gross_cents) == (DAY, None, 4, gross)
    assert tenth.net_cents == gross - cancelled.total_cents - 300
    assert tenth.average_ticket_cents == round(tenth.net_cents / 3)
    assert [(r.reason, r.orders, r.rate) for r in tenth.cancellations] == [
        (CancelReason.CUSTOMER_REQUEST, 1, 0.25)
    ]
    assert [(r.reason, r.cents) for r in tenth.refunds] == [(CancelReason.KITCHEN_ERROR, 300)]
    # Preps of 8 and 10 minutes, waits of 10 and 11: each within its bin.
    assert (tenth.prep_p50_seconds, tenth.wait_p90_seconds) == (558.75, 684.0)
    assert (tenth.throttle_refusals, tenth.sold_outs, tenth.sold_out_seconds) == (2, 1, 2700)
    assert (eleventh.day, eleventh.orders, eleventh.gross_cents) == (
        DAY + timedelta(days=1),
        1,
        after_midnight.total_cents,
    )

    by_hour = {(b.day, b.hour): b for b in await _report(uow_factory, Bucket.HOUR)}
    assert sorted(by_hour) == [(DAY, 12), (DAY, 13), (DAY, 23), (DAY + timedelta(days=1), 0)]
    noon, one = by_hour[DAY, 12], by_hour[DAY, 13]
    assert (noon.orders, noon.sold_out_seconds, noon.throttle_refusals) == (2, 1800, 2)
    assert (one.orders, one.sold_out_seconds, one.sold_outs) == (1, 900, 0)
    assert by_hour[DAY, 23].gross_cents == late.total_cents

    [week] = await _report(uow_factory, Bucket.WEEK)
    assert (week.day, week.orders) == (date(2026, 3, 9), 5)

    async with uow_factory() as uow:
        top = await uow.analytics.top_items(None, DAY, DAY, 1, NOW)
        mine = await uow.analytics.top_items(
            frozenset({trading.kolkata.truck.id}), DAY, DAY + timedelta(days=1), 5, NOW
        )
    # Item 1 is on both live Paris orders (1 each), item 2 on the first (2): a tie,
    # ranked by name.
    assert [(seller.item_id, seller.quantity) for seller in top] == [(trading.paris.items[0].id, 2)]
    assert [(seller.item_id, seller.quantity) for seller in mine] == [
        (trading.kolkata.items[0].id, 2)
    ]


async def test_the_rollup_gives_the_same_figures_and_a_later_change_shows_at_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    trading = await _trading(uow_factory)
    await _close(uow_factory, trading.paris, trading.kolkata)
    direct = {bucket: await _report(uow_factory, bucket) for bucket in Bucket}

    async with uow_factory() as uow:
        rolled = await uow.analytics.roll_up(NOW, limit=10)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.analytics.roll_up(NOW, limit=10) == 0

    assert rolled in (0, 2)  # the memory store keeps no rollup
    assert {bucket: await _report(uow_factory, bucket) for bucket in Bucket} == direct

    # A refund on a rolled-up shift, logged as every refund is: read at once.
    first = trading.orders[0]
    refund = _refund(first, 100, CancelReason.OTHER, NOW)
    async with uow_factory() as uow:
        await uow.refunds.add(refund)
        await uow.events.append(
            NewEvent(shift_id=first.shift_id, at=NOW, data=OrderRefunded(refund=refund))
        )
        await uow.commit()
    tenth, _ = await _report(uow_factory, Bucket.DAY)
    assert tenth.net_cents == direct[Bucket.DAY][0].net_cents - 100
    async with uow_factory() as uow:
        assert await uow.analytics.roll_up(NOW, limit=10) == rolled // 2
        await uow.commit()
    assert (await _report(uow_factory, Bucket.DAY))[0] == tenth


async def test_scopes_and_empty_ranges(uow_factory: UnitOfWorkFactory) -> None:
    trading = await _trading(uow_factory)
    span = AnalyticsRange(first=DAY, last=DAY, bucket=Bucket.DAY)
    async with uow_factory() as uow:
        [paris] = await uow.analytics.report(frozenset({trading.paris.truck.id}), span, NOW)
        assert await uow.analytics.report(frozenset(), span, NOW) == ()
        later = AnalyticsRange(first=DAY + timedelta(days=30), last=DAY + timedelta(days=31))
        assert await uow.analytics.report(None, later, NOW) == ()
        assert await uow.analytics.top_items(frozenset(), DAY, DAY, 5, NOW) == ()
    assert paris.orders == 3


_ADDITIVE = (
    "orders",
    "gross_cents",
    "net_cents",
    "throttle_refusals",
    "sold_outs",
    "sold_out_seconds",
)


async def test_a_day_is_the_sum_of_its_hours_once_rolled_up(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Days and weeks read their own rollup level on SQL: it must add up to the hours."""
    trading = await _trading(uow_factory)
    await _close(uow_factory, trading.paris, trading.kolkata)
    async with uow_factory() as uow:
        await uow.analytics.roll_up(NOW, limit=10)
        await uow.commit()

    hours: dict[date, list[int]] = {}
    for bucket in await _report(uow_factory, Bucket.HOUR):
        sums = hours.setdefault(bucket.day, [0] * len(_ADDITIVE))
        for index, name in enumerate(_ADDITIVE):
            sums[index] += getattr(bucket, name)
    days = {
        bucket.day: [getattr(bucket, name) for name in _ADDITIVE]
        for bucket in await _report(uow_factory, Bucket.DAY)
    }
    assert days == hours
    assert days[DAY][0] == 4  # the trading is there, not two empty maps
    [week] = await _report(uow_factory, Bucket.WEEK)
    assert [getattr(week, name) for name in _ADDITIVE] == [
        sum(sums[index] for sums in hours.values()) for index in range(len(_ADDITIVE))
    ]


# Waits and preps on the edges of the histogram's bins (rules.analytics.BIN_BANDS): the
# bins PostgreSQL computes in SQL for the fresh tail must be the domain's, to the microsecond.
_EDGES = (-5.0, 0.0, 14.999999, 15.0, 599.999999, 600.0, 659.0, 3599.999999, 3600.0,
          14399.0, 14400.0, 20000.0)  # fmt: skip
# Paris falls back on 2026-10-25 at 03:00 CEST: 02:xx happens twice, one local hour.
_FALL_BACK = datetime(2026, 10, 24, 23, 20, tzinfo=UTC)  # 01:20 CEST
_AFTER = datetime(2026, 10, 27, 9, tzinfo=UTC)


async def test_the_fresh_tail_and_the_rollup_agree_on_bin_edges_and_a_clock_change(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """PostgreSQL sums an unrolled shift's orders in SQL, the rollup by the domain in
    Python: both must give the same buckets, every bin, reason and item included."""
    scene = await a_shift_scene(uow_factory, items=3, location={"timezone": "Europe/Paris"})
    items = list(scene.items)
    # Every 20 minutes from 01:20 CEST: through both 02 o'clocks and into 03:00 CET.
    orders = tuple(
        an_order(
            scene.shift.id,
            items[: 1 + n % 3],
            number=n + 1,
            created_at=_FALL_BACK + timedelta(minutes=20 * n),
        )
        for n in range(len(_EDGES) + 3)
    )
    cancelled, unexplained, refunded = orders[-3:]

    def ticket_for(order: Order) -> Ticket:
        n = order.number - 1
        if order in (cancelled, unexplained):
            return a_ticket(order, state=TicketState.CANCELLED)
        if n >= len(_EDGES):
            return a_ticket(order)
        ready = order.created_at + timedelta(seconds=_EDGES[n])
        prep = None if n % 4 == 3 else ready - timedelta(seconds=_EDGES[-1 - n])
        return a_ticket(order, state=TicketState.COMPLETED, prep_at=prep, ready_at=ready)

    placed = dict(await with_tickets(uow_factory, orders, ticket_for))
    async with uow_factory() as uow:
        await uow.cancellations.add(
            Cancellation(
                order_id=cancelled.id,
                ticket_id=placed[cancelled].id,
                shift_id=scene.shift.id,
                number=cancelled.number,
                reason=CancelReason.OUT_OF_STOCK,
                from_state=TicketState.NEW,
                stock_returned=False,
                amount_cents=cancelled.total_cents,
                actor=an_actor(),
                at=cancelled.created_at,
            )
        )
        for order, cents, reason, status in (
            (refunded, 100, CancelReason.KITCHEN_ERROR, RefundStatus.SUCCEEDED),
            (refunded, 50, CancelReason.KITCHEN_ERROR, RefundStatus.SUCCEEDED),
            (refunded, 70, CancelReason.CUSTOMER_REQUEST, RefundStatus.SUCCEEDED),
            (refunded, 900, CancelReason.OTHER, RefundStatus.FAILED),
            (orders[0], 30, CancelReason.OTHER, RefundStatus.PENDING),
            (orders[1], 40, CancelReason.DUPLICATE, RefundStatus.SUCCEEDED),
        ):
            refund = _refund(order, cents, reason, order.created_at + timedelta(hours=1))
            await uow.refunds.add(msgspec.structs.replace(refund, status=status))
        await uow.commit()

    first, last = date(2026, 10, 24), date(2026, 10, 26)

    async def everything() -> tuple[object, ...]:
        async with uow_factory() as uow:
            reports = [
                await uow.analytics.report(
                    None, AnalyticsRange(first=first, last=last, bucket=bucket), _AFTER
                )
                for bucket in Bucket
            ]
            top = await uow.analytics.top_items(None, first, last, 10, _AFTER)
        return (*reports, top)

    async with uow_factory() as uow:
        await uow.shifts.update(
            msgspec.structs.replace(
                scene.shift, state=ShiftState.CLOSED, closed_at=_FALL_BACK + timedelta(hours=6)
            )
        )
        await uow.commit()
    direct = await everything()
    async with uow_factory() as uow:
        await uow.analytics.roll_up(_AFTER, limit=10)
        await uow.commit()
    assert await everything() == direct

    by_hour, by_day, _, _ = direct
    assert isinstance(by_hour, tuple)
    # 01, 02 (twice over, one hour) and 03, 04, 05 o'clock on the 25th: nothing on the 24th.
    assert [(b.day, b.hour, b.orders) for b in by_hour] == [
        (date(2026, 10, 25), 1, 2),
        (date(2026, 10, 25), 2, 6),
        (date(2026, 10, 25), 3, 3),
        (date(2026, 10, 25), 4, 3),
        (date(2026, 10, 25), 5, 1),
    ]
    [day] = by_day  # type: ignore[misc]
    assert [(r.reason, r.orders, r.cents) for r in day.refunds] == [
        (CancelReason.CUSTOMER_REQUEST, 1, 70),
        (CancelReason.DUPLICATE, 1, 40),
        (CancelReason.KITCHEN_ERROR, 1, 150),
    ]
    assert [(r.reason, r.orders) for r in day.cancellations] == [(CancelReason.OUT_OF_STOCK, 1)]
