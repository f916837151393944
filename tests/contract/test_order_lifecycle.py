"""Repository promises the order lifecycle relies on: held tickets and their fire times,
the audit trails of cancellations and refunds, and locking an order."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from fusionx.core.model.cancellations import Cancellation, CancelReason, ReasonTotal
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.refunds import Refund, RefundLine, RefundStatus
from fusionx.core.model.tickets import OPEN_STATES, Ticket, TicketState
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_move, a_ticket, an_actor, an_order, new_id
from tests.support.scenes import ShiftScene, a_shift_scene, with_tickets


async def _tickets(uow_factory: UnitOfWorkFactory, scene: ShiftScene, count: int) -> list[Ticket]:
    orders = (
        an_order(scene.shift.id, list(scene.items[:1]), number=n) for n in range(1, count + 1)
    )
    placed = await with_tickets(
        uow_factory, orders, lambda o: a_ticket(o, created_at=T0 + timedelta(minutes=o.number))
    )
    return [ticket for _, ticket in placed]


async def _hold(
    uow_factory: UnitOfWorkFactory, ticket: Ticket, fire_at: object | None
) -> Ticket | None:
    move = a_move(ticket, TicketState.HOLD, T0, held_from=ticket.state, fire_at=fire_at)
    async with uow_factory() as uow:
        saved = await uow.tickets.save_move(move)
        await uow.commit()
    return move.after if saved else None


async def test_a_hold_keeps_where_it_resumes_and_when_it_fires(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    (ticket,) = await _tickets(uow_factory, scene, 1)
    fire_at = T0 + timedelta(minutes=15)

    held = await _hold(uow_factory, ticket, fire_at)

    assert held is not None
    assert (held.state, held.held_from, held.fire_at, held.version) == (
        TicketState.HOLD,
        TicketState.NEW,
        fire_at,
        2,
    )
    async with uow_factory() as uow:
        assert await uow.tickets.get(ticket.id) == held
        assert await uow.tickets.for_order(ticket.order_id) == held
        (shown,) = await uow.tickets.feed(scene.shift.id, OPEN_STATES)
        assert (shown.held_from, shown.fire_at) == (TicketState.NEW, fire_at)
        resuming = a_move(held, TicketState.NEW, T0)
        assert await uow.tickets.save_move(resuming)
        await uow.commit()
        resumed = await uow.tickets.get(ticket.id)
    assert resumed is not None
    assert (resumed.held_from, resumed.fire_at) == (None, None)


async def test_due_to_fire_lists_held_tickets_whose_time_has_come_soonest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    late, early, by_hand, future, _new = await _tickets(uow_factory, scene, 5)
    await _hold(uow_factory, late, T0 + timedelta(minutes=10))
    await _hold(uow_factory, early, T0 + timedelta(minutes=5))
    await _hold(uow_factory, by_hand, None)
    await _hold(uow_factory, future, T0 + timedelta(minutes=11))

    async with uow_factory() as uow:
        due = await uow.tickets.due_to_fire(T0 + timedelta(minutes=10))
        first = await uow.tickets.due_to_fire(T0 + timedelta(minutes=10), limit=1)

    assert [t.id for t in due] == [early.id, late.id]
    assert [t.id for t in first] == [early.id]
    assert all(t.state is TicketState.HOLD and t.held_from is TicketState.NEW for t in due)


async def test_an_order_keeps_the_customers_contact(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    order = an_order(
        scene.shift.id,
        list(scene.items),
        customer_phone="+44 20 7946 0000",
        customer_email="sam@example.org",
        customer_id=new_id(),
    )
    async with uow_factory() as uow:
        await uow.orders.add(order)
        await uow.commit()

    async with uow_factory() as uow:
        locked = await uow.orders.get_for_update(order.id)
        missing = await uow.orders.get_for_update(new_id())

    assert locked == order
    assert (locked.customer_phone, locked.customer_email, locked.customer_id) == (
        "+44 20 7946 0000",
        "sam@example.org",
        order.customer_id,
    )
    assert missing is None


def _cancellation(ticket: Ticket, minutes: int, **changes: object) -> Cancellation:
    return Cancellation(
        order_id=ticket.order_id,
        ticket_id=ticket.id,
        shift_id=ticket.shift_id,
        number=ticket.number,
        reason=changes.get("reason", CancelReason.OUT_OF_STOCK),  # type: ignore[arg-type]
        note=changes.get("note"),  # type: ignore[arg-type]
        from_state=TicketState.IN_PREP,
        stock_returned=True,
        amount_cents=900,
        actor=an_actor(),
        at=T0 + timedelta(minutes=minutes),
    )


async def test_cancellations_are_kept_once_per_order_and_listed_by_shift(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    first, second, third = await _tickets(uow_factory, scene, 3)
    records = [
        _cancellation(second, 2, reason=CancelReason.OTHER, note="Fire alarm"),
        _cancellation(first, 1),
    ]
    async with uow_factory() as uow:
        for record in records:
            await uow.cancellations.add(record)
        await uow.commit()

    async with uow_factory() as uow:
        with pytest.raises(UniqueViolation) as duplicate:
            await uow.cancellations.add(_cancellation(first, 3))
        page = await uow.cancellations.for_shift(scene.shift.id, PageRequest(limit=1, offset=1))
        everything = await uow.cancellations.for_shift(scene.shift.id, PageRequest())
        one = await uow.cancellations.for_order(second.order_id)
        none = await uow.cancellations.for_order(third.order_id)

    assert duplicate.value.field == "order_id"
    assert everything.items == [records[1], records[0]]
    assert (page.items, page.total, page.limit, page.offset) == ([records[0]], 2, 1, 1)
    assert (one, none) == (records[0], None)


async def test_refunds_keep_their_lines_in_order(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    first, second = await _tickets(uow_factory, scene, 2)

    def refund(ticket: Ticket, minutes: int, lines: tuple[RefundLine, ...]) -> Refund:
        return Refund(
            id=new_id(),
            order_id=ticket.order_id,
            shift_id=ticket.shift_id,
            reason=CancelReason.KITCHEN_ERROR,
            note="Cold",
            amount_cents=sum(line.amount_cents for line in lines),
            lines=lines,
            actor=an_actor(),
            at=T0 + timedelta(minutes=minutes),
            reference=f"ref-{minutes}",
        )

    two_lines = refund(
        first,
        1,
        (
            RefundLine(line=0, quantity=1, amount_cents=450),
            RefundLine(line=2, quantity=3, amount_cents=1350),
        ),
    )
    later = refund(first, 5, (RefundLine(line=1, quantity=1, amount_cents=450),))
    other = refund(second, 3, ())
    async with uow_factory() as uow:
        for given in (later, other, two_lines):
            await uow.refunds.add(given)
        await uow.commit()

    async with uow_factory() as uow:
        of_order = await uow.refunds.for_order(first.order_id)
        of_shift = await uow.refunds.for_shift(scene.shift.id)

    assert of_order == [two_lines, later]
    assert of_shift == [two_lines, other, later]


async def test_totals_by_reason_count_and_sum_one_shift(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    other = await a_shift_scene(uow_factory)
    first, second, third = await _tickets(uow_factory, scene, 3)
    (elsewhere,) = await _tickets(uow_factory, other, 1)
    async with uow_factory() as uow:
        await uow.cancellations.add(_cancellation(first, 1, reason=CancelReason.DUPLICATE))
        await uow.cancellations.add(_cancellation(second, 2, reason=CancelReason.CUSTOMER_REQUEST))
        await uow.cancellations.add(_cancellation(third, 3, reason=CancelReason.DUPLICATE))
        await uow.cancellations.add(_cancellation(elsewhere, 4))
        for minutes, amount in ((1, 450), (2, 900)):
            await uow.refunds.add(
                Refund(
                    id=new_id(),
                    order_id=first.order_id,
                    shift_id=scene.shift.id,
                    reason=CancelReason.KITCHEN_ERROR,
                    amount_cents=amount,
                    lines=(),
                    actor=an_actor(),
                    at=T0 + timedelta(minutes=minutes),
                    reference="r",
                )
            )
        await uow.commit()

    async with uow_factory() as uow:
        cancelled = await uow.cancellations.totals_by_reason(scene.shift.id)
        refunded = await uow.refunds.totals_by_reason(scene.shift.id)
        none = await uow.refunds.totals_by_reason(other.shift.id)

    assert cancelled == [
        ReasonTotal(reason=CancelReason.CUSTOMER_REQUEST, count=1, amount_cents=900),
        ReasonTotal(reason=CancelReason.DUPLICATE, count=2, amount_cents=1800),
    ]
    assert refunded == [ReasonTotal(reason=CancelReason.KITCHEN_ERROR, count=2, amount_cents=1350)]
    assert none == []


def _refund(ticket: Ticket, amount: int, minutes: int, **changes: object) -> Refund:
    refund = Refund(
        id=new_id(),
        order_id=ticket.order_id,
        shift_id=ticket.shift_id,
        reason=CancelReason.CUSTOMER_REQUEST,
        amount_cents=amount,
        lines=(RefundLine(line=0, quantity=1, amount_cents=amount),),
        actor=an_actor(),
        at=T0 + timedelta(minutes=minutes),
    )
    return msgspec.structs.replace(refund, **changes)


async def test_a_refund_keeps_its_outcome(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    (ticket,) = await _tickets(uow_factory, scene, 1)
    given = _refund(ticket, 450, 1, status=RefundStatus.PENDING)
    refused = _refund(ticket, 900, 2, status=RefundStatus.PENDING)
    async with uow_factory() as uow:
        await uow.refunds.add(given)
        await uow.refunds.add(refused)
        await uow.commit()
    async with uow_factory() as uow:
        pending = await uow.refunds.for_order(ticket.order_id)
        await uow.refunds.save_outcome(given.succeeded("re_123"))
        await uow.refunds.save_outcome(refused.failed("card_declined: " + "x" * 600))
        await uow.commit()

    async with uow_factory() as uow:
        settled = await uow.refunds.for_order(ticket.order_id)
        totals = await uow.refunds.totals_by_reason(scene.shift.id)

    assert pending == [given, refused]
    assert [(r.status, r.reference) for r in settled] == [
        (RefundStatus.SUCCEEDED, "re_123"),
        (RefundStatus.FAILED, None),
    ]
    assert settled[1].failure == ("card_declined: " + "x" * 600)[:500]
    assert settled[0].lines == given.lines
    # Only money given back counts: the refused refund gave none.
    assert totals == [ReasonTotal(reason=CancelReason.CUSTOMER_REQUEST, count=1, amount_cents=450)]


async def test_an_outcome_changes_only_its_own_refund(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    (ticket,) = await _tickets(uow_factory, scene, 1)
    one, two = (_refund(ticket, 100, m, status=RefundStatus.PENDING) for m in (1, 2))
    async with uow_factory() as uow:
        await uow.refunds.add(one)
        await uow.refunds.add(two)
        await uow.refunds.save_outcome(two.succeeded(None))
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.refunds.for_order(ticket.order_id) == [one, two.succeeded(None)]
