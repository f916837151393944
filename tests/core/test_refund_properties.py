"""Property: whatever refunds are asked for, in whatever order, no more is refunded than
was paid, no line more than it had, and the order reads REFUNDED exactly when all is."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from fusionx.adapters.payments.recording_gateway import RecordingPaymentGateway
from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.refunds import PaymentState, RefundStatus
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.commands.refund_order import (
    RefundLineRequest,
    RefundOrder,
    RefundOrderRequest,
)
from fusionx.core.use_cases.commands.transition_ticket import TransitionRequest, TransitionTicket
from fusionx.core.use_cases.queries.view_order import ViewOrder
from fusionx.entrypoints.bootstrap import in_memory_adapters
from tests.factories import open_shift_world


class Refunds(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.adapters = in_memory_adapters()
        self.gateway = RecordingPaymentGateway()
        self.world = self.run(open_shift_world(self.adapters, stock=100, prices=(850, 400)))

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    def teardown(self) -> None:
        self.loop.close()

    @initialize(completed=st.booleans())
    def an_order(self, completed: bool) -> None:
        a = self.adapters
        placed = self.run(
            PlaceOrder(a.uow(), a.clock, a.ids).execute(
                self.world.principal,
                PlaceOrderRequest(
                    shift_id=self.world.shift.id,
                    lines=(
                        OrderLineRequest(item_id=self.world.items[0].id, quantity=2),
                        OrderLineRequest(item_id=self.world.items[1].id, quantity=3),
                    ),
                ),
            )
        )
        self.order, version = placed.order, 1
        for target in (TicketState.IN_PREP, TicketState.READY, TicketState.COMPLETED):
            if not completed:
                break
            request = TransitionRequest(
                ticket_id=placed.ticket.id, target=target, expected_version=version
            )
            version = self.run(
                TransitionTicket(a.uow(), a.clock, a.ids).execute(self.world.principal, request)
            ).version

    @rule(lines=st.lists(st.tuples(st.integers(-1, 2), st.integers(0, 4)), min_size=0, max_size=3))
    def refund(self, lines: list[tuple[int, int]]) -> None:
        a = self.adapters
        request = RefundOrderRequest(
            order_id=self.order.id,
            reason=CancelReason.CUSTOMER_REQUEST,
            lines=tuple(RefundLineRequest(line=line, quantity=n) for line, n in lines),
        )
        with contextlib.suppress(Conflict, InvalidInput):
            self.run(
                RefundOrder(a.uow, a.clock, a.ids, self.gateway).execute(
                    self.world.principal, request
                )
            )

    @invariant()
    def never_more_than_was_paid(self) -> None:
        details = self.run(
            ViewOrder(self.adapters.uow()).execute(self.world.principal, self.order.id)
        )
        refunded: dict[int, int] = {}
        for refund in details.refunds:
            for line in refund.lines:
                refunded[line.line] = refunded.get(line.line, 0) + line.quantity
        assert details.refunded_cents <= details.paid_cents == self.order.total_cents
        assert all(n <= self.order.lines[i].quantity for i, n in refunded.items())
        # Paid at the window: handed back there, each refund given at once.
        assert self.gateway.refunds == []
        assert all(r.status is RefundStatus.SUCCEEDED for r in details.refunds)
        everything = details.refunded_cents == details.paid_cents
        assert (details.payment_state is PaymentState.REFUNDED) == everything
        assert details.ticket is not None
        assert (details.ticket.state is TicketState.REFUNDED) == everything


TestRefunds = Refunds.TestCase
TestRefunds.settings = settings(max_examples=40, stateful_step_count=8, deadline=None)
