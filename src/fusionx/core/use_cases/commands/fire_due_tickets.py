from __future__ import annotations

from fusionx.core.errors import Conflict
from fusionx.core.model.tickets import Ticket
from fusionx.core.use_cases.steps.ticket_moves import move_ticket
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWorkFactory

SWEEP_BATCH = 100


class FireDueTickets:
    """Resume held tickets whose fire time has come, without anyone touching the KDS.

    Rules:
    - a HOLD ticket whose ``fire_at`` is now or past resumes to the state it was held
      from, as a move of its own: history, version and event like any other;
    - the move is credited to whoever put the ticket on hold, with the fire time as
      its reason;
    - each ticket fires in its own unit of work, from the version it was held at: of
      several sweeps (workers, instances) reaching it at once exactly one fires it, and a
      ticket resumed, cancelled or re-held meanwhile is left as it is;
    - fire times live in the store, so tickets due while no sweep ran fire on the next.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self) -> list[Ticket]:
        """The tickets this sweep fired."""
        now = self._clock.now()
        async with self._uow() as uow:
            due = await uow.tickets.due_to_fire(now, SWEEP_BATCH)
        fired = []
        for ticket in due:
            moved = await self._fire(ticket)
            if moved is not None:
                fired.append(moved)
        return fired

    async def _fire(self, ticket: Ticket) -> Ticket | None:
        if ticket.held_from is None or ticket.fire_at is None:  # pragma: no cover - port
            return None
        async with self._uow() as uow:
            history = await uow.tickets.history(ticket.id)
            if not history:  # pragma: no cover - a held ticket has its hold in history
                return None
            try:
                moved = await move_ticket(
                    uow,
                    ticket,
                    ticket.held_from,
                    actor=history[-1].actor,
                    at=self._clock.now(),
                    reason=f"fired at {ticket.fire_at.isoformat()} as scheduled",
                )
            except Conflict:
                return None  # another sweep fired it, or someone moved it first
            await uow.commit()
        return moved
