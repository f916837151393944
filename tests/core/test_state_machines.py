"""Property tests: whatever commands arrive, in whatever order, tickets and shifts only
ever move along the rows of their state tables."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from fusionx.core.errors import Conflict
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.shifts import SHIFT_MACHINE, ShiftState
from fusionx.core.model.tickets import TICKET_MACHINE, TicketState
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftRequest, ChangeShiftState
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.commands.transition_ticket import TransitionRequest, TransitionTicket
from fusionx.entrypoints.bootstrap import in_memory_adapters
from tests.factories import ShiftWorld, open_shift_world


class _WithWorld(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.adapters = in_memory_adapters()
        self.world: ShiftWorld = self.run(open_shift_world(self.adapters, stock=1000))

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    def teardown(self) -> None:
        self.loop.close()

    def place(self) -> Any:
        return PlaceOrder(self.adapters.uow(), self.adapters.clock, self.adapters.ids).execute(
            self.world.principal,
            PlaceOrderRequest(
                shift_id=self.world.shift.id,
                lines=(OrderLineRequest(item_id=self.world.items[0].id, quantity=1),),
            ),
        )


class TicketCommands(_WithWorld):
    @initialize()
    def a_ticket(self) -> None:
        self.ticket = self.run(self.place()).ticket
        self.seen = [self.ticket.state]

    # Refunded is reached by refunding the order, never by a move.
    @rule(
        to=st.sampled_from(sorted(set(TicketState) - {TicketState.REFUNDED})),
        stale=st.booleans(),
    )
    def transition(self, to: TicketState, stale: bool) -> None:
        version = self.ticket.version - 1 if stale else self.ticket.version
        request = TransitionRequest(
            ticket_id=self.ticket.id,
            target=to,
            expected_version=version,
            cancel_reason=CancelReason.DUPLICATE if to is TicketState.CANCELLED else None,
        )
        adapters = self.adapters
        try:
            self.ticket = self.run(
                TransitionTicket(adapters.uow(), adapters.clock, adapters.ids).execute(
                    self.world.principal, request
                )
            )
            self.seen.append(self.ticket.state)
        except Conflict:
            pass

    @invariant()
    def only_table_moves_happened(self) -> None:
        history = self.run(self._history())
        assert all(TICKET_MACHINE.allows(t.source, t.target) for t in history)  # type: ignore[arg-type]
        assert self.ticket.version == 1 + len(history)
        assert [self.seen[0], *(t.target for t in history)] == self.seen

    @invariant()
    def cancelled_stays_cancelled(self) -> None:
        # A cancelled ticket can only be refunded, which no move does.
        first = next((i for i, s in enumerate(self.seen) if s is TicketState.CANCELLED), None)
        assert first is None or first == len(self.seen) - 1

    @invariant()
    def a_held_ticket_resumes_where_it_was(self) -> None:
        for before, held, after in zip(self.seen, self.seen[1:], self.seen[2:], strict=False):
            if held is TicketState.HOLD and after is not TicketState.CANCELLED:
                assert after == before

    async def _history(self) -> Any:
        async with self.adapters.uow() as uow:
            return await uow.tickets.history(self.ticket.id)


class ShiftCommands(_WithWorld):
    @rule(to=st.sampled_from(ShiftState), force=st.booleans())
    def change(self, to: ShiftState, force: bool) -> None:
        request = ChangeShiftRequest(
            shift_id=self.world.shift.id,
            target=to,
            force=force,
            reason="test" if force else None,
        )
        with contextlib.suppress(Conflict):
            self.run(
                ChangeShiftState(self.adapters.uow(), self.adapters.clock).execute(
                    self.world.principal, request
                )
            )

    @rule()
    def order(self) -> None:
        state = self.run(self._shift()).state
        try:
            self.run(self.place())
        except Conflict:
            assert state is not ShiftState.OPEN
        else:
            assert state is ShiftState.OPEN

    @invariant()
    def only_table_moves_happened(self) -> None:
        history = self.run(self._history())
        assert history[0].source is None
        assert all(SHIFT_MACHINE.allows(t.source, t.target) for t in history[1:])  # type: ignore[arg-type]
        closed = [i for i, t in enumerate(history) if t.target is ShiftState.CLOSED]
        assert closed in ([], [len(history) - 1])

    async def _shift(self) -> Any:
        async with self.adapters.uow() as uow:
            return await uow.shifts.get(self.world.shift.id)

    async def _history(self) -> Any:
        async with self.adapters.uow() as uow:
            return await uow.shifts.history(self.world.shift.id)


TestTicketCommands = TicketCommands.TestCase
TestTicketCommands.settings = settings(max_examples=60, stateful_step_count=15, deadline=None)
TestShiftCommands = ShiftCommands.TestCase
TestShiftCommands.settings = settings(max_examples=60, stateful_step_count=15, deadline=None)
