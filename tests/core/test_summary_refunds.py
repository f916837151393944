"""The summary's net sales: gross, less cancelled orders, less what succeeded refunds
gave back on orders still counted (a cancelled order's refund takes nothing off twice)."""

from __future__ import annotations

from uuid import UUID

from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.core.model.refunds import Refund, RefundStatus
from fusionx.core.model.summary import ShiftFigures
from fusionx.core.model.tickets import TicketState
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_ticket, an_actor, an_order, new_id
from tests.support.scenes import a_shift_scene, with_tickets


def _refund(order_id: UUID, shift_id: UUID, cents: int, status: RefundStatus) -> Refund:
    return Refund(
        id=new_id(),
        order_id=order_id,
        shift_id=shift_id,
        reason=CancelReason.KITCHEN_ERROR,
        amount_cents=cents,
        lines=(),
        actor=an_actor(),
        at=T0,
        status=status,
    )


async def figures_after_refunds(units: UnitOfWorkFactory) -> ShiftFigures:
    scene = await a_shift_scene(units)
    orders = [
        an_order(
            scene.shift.id,
            [scene.items[0]],
            number=n,
            total_cents=cents,
            channel=OrderChannel.WINDOW,
            state=OrderState.PLACED,
        )
        for n, cents in ((1, 1000), (2, 2000), (3, 4000))
    ]
    states = {1: TicketState.COMPLETED, 2: TicketState.COMPLETED, 3: TicketState.CANCELLED}
    placed = await with_tickets(
        units, orders, lambda order: a_ticket(order, state=states[order.number])
    )
    async with units() as uow:
        first, second, cancelled = (order.id for order, _ in placed)
        shift = scene.shift.id
        await uow.refunds.add(_refund(first, shift, 300, RefundStatus.SUCCEEDED))
        await uow.refunds.add(_refund(second, shift, 700, RefundStatus.PENDING))  # not given yet
        await uow.refunds.add(_refund(second, shift, 900, RefundStatus.FAILED))  # never given
        await uow.refunds.add(_refund(cancelled, shift, 4000, RefundStatus.SUCCEEDED))
        await uow.commit()
    async with units() as uow:
        return await uow.summaries.figures(shift)


async def test_net_sales_take_off_succeeded_refunds_once() -> None:
    figures = await figures_after_refunds(InMemoryUnitOfWorkFactory())

    assert (figures.gross_cents, figures.cancelled_cents) == (7000, 4000)
    assert figures.refunded_cents == 300
    assert figures.net_cents == 7000 - 4000 - 300
