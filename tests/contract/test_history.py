"""History and exports read alike on every backend: keyset pages newest first (exports
oldest first, in batches), filters, the search, and local days per location."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fusionx.core.model.cancellations import Cancellation, CancelReason
from fusionx.core.model.exports import ExportKind, ExportQuery
from fusionx.core.model.history import (
    Cursor,
    DayRange,
    OrderQuery,
    Scope,
    ShiftQuery,
)
from fusionx.core.model.orders import Order, OrderChannel, OrderState
from fusionx.core.model.refunds import PaymentState, Refund, RefundStatus
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.steps.books_scope import local_window
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, an_actor, an_order, new_id
from tests.support.scenes import ShiftScene, a_shift_scene, restock_to, with_tickets


def _orders(scene: ShiftScene, count: int, **changes: object) -> list[Order]:
    return [
        an_order(
            scene.shift.id,
            [scene.items[0]],
            number=n,
            channel=OrderChannel.WINDOW,
            state=OrderState.PLACED,
            total_cents=1000 + n,
            customer_name=f"Customer {n}",
            customer_phone=f"+1415555{n:04d}",
            created_at=T0 + timedelta(minutes=n // 2),  # two orders a minute: ties on time
            **changes,
        )
        for n in range(1, count + 1)
    ]


async def _read_all(uow_factory: UnitOfWorkFactory, query: OrderQuery, limit: int) -> list[int]:
    numbers: list[int] = []
    after = None
    while True:
        async with uow_factory() as uow:
            page = await uow.history.orders(query, after=after, limit=limit)
        numbers += [record.number for record in page]
        if len(page) < limit:
            return numbers
        after = Cursor(page[-1].created_at, page[-1].id)


async def test_orders_come_newest_first_in_pages_that_new_orders_do_not_shift(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    placed = await with_tickets(uow_factory, _orders(scene, 7))
    expected = [o.number for o, _ in sorted(placed, key=lambda p: (p[0].created_at, p[0].id))]

    async with uow_factory() as uow:
        first = await uow.history.orders(OrderQuery(), after=None, limit=3)
    # An order placed now is newer than the cursor: later pages do not see it.
    await with_tickets(
        uow_factory,
        [an_order(scene.shift.id, [scene.items[0]], number=99, created_at=T0 + timedelta(hours=1))],
    )
    rest = await _read_all_after(uow_factory, Cursor(first[-1].created_at, first[-1].id))

    assert [r.number for r in first] + rest == expected[::-1]


async def _read_all_after(uow_factory: UnitOfWorkFactory, after: Cursor) -> list[int]:
    async with uow_factory() as uow:
        return [r.number for r in await uow.history.orders(OrderQuery(), after=after, limit=100)]


async def test_orders_filter_by_truck_days_state_payment_reason_and_search(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory, location={"timezone": "America/New_York"})
    other = await a_shift_scene(uow_factory)
    late = T0.replace(hour=3, minute=30) + timedelta(days=1)  # 22:30 the day before in New York
    mine = _orders(scene, 3)
    mine[2] = an_order(
        scene.shift.id,
        [scene.items[0]],
        number=3,
        channel=OrderChannel.WINDOW,
        state=OrderState.PLACED,
        total_cents=900,
        customer_name="Ana Lucía Pérez",
        customer_phone="+14155550777",
        created_at=late,
    )
    placed = await with_tickets(uow_factory, [*mine, *_orders(other, 1)])
    cancelled_order, cancelled_ticket = placed[0]
    refunded_order = placed[1][0]
    async with uow_factory() as uow:
        await uow.cancellations.add(
            Cancellation(
                order_id=cancelled_order.id,
                ticket_id=cancelled_ticket.id,
                shift_id=scene.shift.id,
                number=1,
                reason=CancelReason.OUT_OF_STOCK,
                from_state=TicketState.NEW,
                stock_returned=True,
                amount_cents=1001,
                actor=an_actor(),
                at=T0,
            )
        )
        await uow.refunds.add(
            Refund(
                id=new_id(),
                order_id=refunded_order.id,
                shift_id=scene.shift.id,
                reason=CancelReason.KITCHEN_ERROR,
                amount_cents=500,
                lines=(),
                actor=an_actor(),
                at=T0,
                status=RefundStatus.SUCCEEDED,
            )
        )
        await uow.commit()

    async def numbers(**query: object) -> list[int]:
        async with uow_factory() as uow:
            found = await uow.history.orders(OrderQuery(**query), after=None, limit=50)
        return sorted(record.number for record in found)

    trucks = Scope(trucks=frozenset({scene.truck.id}))
    assert await numbers(scope=trucks) == [1, 2, 3]
    assert await numbers(scope=Scope(trucks=frozenset())) == []
    ny_day = local_window(scene.location, DayRange(first=date(2026, 1, 5), last=date(2026, 1, 5)))
    assert await numbers(scope=Scope(trucks=trucks.trucks, windows=(ny_day,))) == [1, 2, 3]
    next_day = local_window(scene.location, DayRange(first=date(2026, 1, 6)))
    assert await numbers(scope=Scope(windows=(next_day,))) == []
    assert await numbers(scope=trucks, payment=PaymentState.PARTIALLY_REFUNDED) == [2]
    assert await numbers(scope=trucks, reason=CancelReason.OUT_OF_STOCK) == [1]
    assert await numbers(scope=trucks, reason=CancelReason.KITCHEN_ERROR) == [2]
    assert await numbers(scope=trucks, text="lucía") == [3]
    assert await numbers(scope=trucks, text="555 0777") == [3]
    assert await numbers(scope=trucks, text="2") == [2]  # a number; no name nor phone has it
    assert await numbers(scope=trucks, text="100%") == []
    async with uow_factory() as uow:
        [record] = await uow.history.orders(OrderQuery(scope=trucks, text="3"), after=None, limit=5)
    assert (record.payment, record.paid_cents, record.refunded_cents) == (PaymentState.PAID, 900, 0)


async def test_shifts_list_with_their_orders_and_gross(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    await with_tickets(uow_factory, _orders(scene, 2))
    async with uow_factory() as uow:
        found = await uow.history.shifts(
            ShiftQuery(scope=Scope(trucks=frozenset({scene.truck.id}))), after=None, limit=5
        )
    assert [(s.id, s.orders, s.gross_cents) for s in found] == [(scene.shift.id, 2, 2003)]


async def test_exports_read_in_batches_oldest_first(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    await restock_to(uow_factory, scene, 5, 7)
    placed = await with_tickets(uow_factory, _orders(scene, 5))
    query = ExportQuery(scope=Scope(trucks=frozenset({scene.truck.id})))

    async def everything(kind: ExportKind) -> tuple[list[object], int]:
        rows, after, batches = [], None, 0
        while True:
            async with uow_factory() as uow:
                batch = await uow.exports.batch(kind, query, after=after, limit=2)
            batches += 1
            rows += batch
            if len(batch) < 2:
                return rows, batches
            after = batch[-1].key()

    orders, batches = await everything(ExportKind.ORDERS)
    oldest_first = sorted(placed, key=lambda p: (p[0].created_at, p[0].id))
    assert [row.number for row in orders] == [o.number for o, _ in oldest_first]  # type: ignore[attr-defined]
    assert batches == 3
    assert sum(row.net_cents for row in orders) == sum(o.total_cents for o, _ in placed)  # type: ignore[attr-defined]
    lines, _ = await everything(ExportKind.ORDER_LINES)
    assert len(lines) == sum(len(o.lines) for o, _ in placed)
    stock, _ = await everything(ExportKind.STOCK_LEDGER)
    assert sorted(row.delta for row in stock) == [5, 7]  # type: ignore[attr-defined]
    assert (await everything(ExportKind.REFUNDS))[0] == []
    elsewhere = ExportQuery(scope=Scope(trucks=frozenset({new_id()})))
    async with uow_factory() as uow:
        assert await uow.exports.batch(ExportKind.ORDERS, elsewhere, after=None, limit=9) == []
    assert orders[0].created_at.tzinfo is not None  # type: ignore[attr-defined]
    assert datetime(2026, 1, 1, tzinfo=UTC) < orders[-1].created_at  # type: ignore[attr-defined]


async def test_summary_net_sales_account_for_refunds(uow_factory: UnitOfWorkFactory) -> None:
    from tests.core.test_summary_refunds import figures_after_refunds  # noqa: PLC0415

    figures = await figures_after_refunds(uow_factory)
    assert (figures.refunded_cents, figures.net_cents) == (300, 2700)


async def test_an_export_counts_its_rows(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    await with_tickets(uow_factory, _orders(scene, 3))
    query = ExportQuery(scope=Scope(trucks=frozenset({scene.truck.id})))
    async with uow_factory() as uow:
        assert await uow.exports.count(ExportKind.ORDERS, query) == 3
        assert await uow.exports.count(ExportKind.ORDER_LINES, query) == 3
        assert await uow.exports.count(ExportKind.AUDIT, ExportQuery(since=T0)) >= 0
