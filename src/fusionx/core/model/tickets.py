"""Kitchen display tickets and the one table of moves between their states."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor
from fusionx.core.model.orders import Order, OrderLine
from fusionx.core.model.state_machine import StateMachine


class TicketState(enum.StrEnum):
    NEW = "new"
    IN_PREP = "in_prep"
    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    HOLD = "hold"
    REFUNDED = "refunded"


# Every allowed move, and nothing else. Rules that need more than the two states (a
# held ticket resumes to the state it was held from; a recall only within its window)
# live in ``Ticket.move``, which consults this table first.
TICKET_MACHINE = StateMachine[TicketState](
    "ticket",
    [
        (TicketState.NEW, TicketState.IN_PREP),
        (TicketState.IN_PREP, TicketState.READY),
        (TicketState.READY, TicketState.COMPLETED),
        (TicketState.NEW, TicketState.CANCELLED),
        (TicketState.IN_PREP, TicketState.CANCELLED),
        (TicketState.READY, TicketState.CANCELLED),
        # Hold and fire: held by hand or until a fire time, resumed where it was.
        (TicketState.NEW, TicketState.HOLD),
        (TicketState.IN_PREP, TicketState.HOLD),
        (TicketState.HOLD, TicketState.NEW),
        (TicketState.HOLD, TicketState.IN_PREP),
        (TicketState.HOLD, TicketState.CANCELLED),
        # Recall: a completed ticket back on the pass, within RECALL_WINDOW.
        (TicketState.COMPLETED, TicketState.READY),
        # A fully refunded order, whether it was handed over or cancelled.
        (TicketState.COMPLETED, TicketState.REFUNDED),
        (TicketState.CANCELLED, TicketState.REFUNDED),
    ],
)

FINAL_STATES = frozenset({TicketState.COMPLETED, TicketState.CANCELLED, TicketState.REFUNDED})
OPEN_STATES = frozenset(TicketState) - FINAL_STATES
# States a ticket may be held from, and so resumed to.
HOLDABLE_STATES = frozenset({TicketState.NEW, TicketState.IN_PREP})
# The food exists once a ticket has been ready: cancelling then returns no stock.
MADE_STATES = frozenset({TicketState.READY, TicketState.COMPLETED})
DEFAULT_RECALL_WINDOW = timedelta(minutes=10)


class TicketTransition(msgspec.Struct, frozen=True, kw_only=True):
    """A row of a ticket's history: one move, its time, who made it and why."""

    ticket_id: UUID
    source: TicketState | None
    target: TicketState
    version: int
    at: datetime
    actor: Actor
    reason: str | None = None


class Ticket(msgspec.Struct, frozen=True, kw_only=True):
    """``version`` rises by one on every change; a client must name the one it saw.

    A HOLD ticket remembers ``held_from`` (where it resumes) and, when it was held until
    a time, ``fire_at``; both are None in every other state. ``prep_at`` is when it first
    went into prep, ``ready_at`` when it last became ready (a recall sets it again): the
    times the kitchen load and the shift summary read.
    """

    id: UUID
    order_id: UUID
    shift_id: UUID
    number: int
    state: TicketState
    version: int
    created_at: datetime
    updated_at: datetime
    held_from: TicketState | None = None
    fire_at: datetime | None = None
    prep_at: datetime | None = None
    ready_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @classmethod
    def first_for(cls, order: Order, ticket_id: UUID, at: datetime) -> Ticket:
        """The NEW ticket that puts ``order`` on the kitchen display, under its number."""
        return cls(
            id=ticket_id,
            order_id=order.id,
            shift_id=order.shift_id,
            number=order.number,
            state=TicketState.NEW,
            version=1,
            created_at=at,
            updated_at=at,
        )

    def may_become(self, target: TicketState) -> bool:
        """Whether ``target`` is a row of the state table from this ticket's state."""
        return TICKET_MACHINE.allows(self.state, target)

    def move(
        self,
        target: TicketState,
        *,
        at: datetime,
        actor: Actor,
        reason: str | None = None,
        fire_at: datetime | None = None,
        version: int | None = None,
        recall_window: timedelta = DEFAULT_RECALL_WINDOW,
    ) -> TicketMove:
        """The move to ``target`` at ``at``, or ``Conflict`` naming the current state.

        Rules:
        - ``version``, when given, is the one the caller saw: it must be this ticket's;
        - the move must be a row of the state table;
        - a held ticket resumes to the state it was held from;
        - a completed ticket is recalled to ready only within ``recall_window`` of its
          completion (its last change);
        - a move into HOLD remembers where it was held from and ``fire_at``; every other
          move clears both;
        - the first move into prep stamps ``prep_at``; every move into ready stamps
          ``ready_at``.

        Nothing is saved: the store keeps the move only if the ticket is still at this
        version.
        """
        if version is not None:
            self.check_version(version)
        if not self.may_become(target):
            raise self.refusal(
                Message("ticket.cannot_become", {"state": self.state.value, "target": target.value})
            )
        held_from = self.held_from
        if self.state is TicketState.HOLD and target in HOLDABLE_STATES and target != held_from:
            resume = held_from.value if held_from else "?"
            raise self.refusal(Message("ticket.resumes_to", {"state": resume}))
        recalling = self.state is TicketState.COMPLETED and target is TicketState.READY
        if recalling and at - self.updated_at > recall_window:
            minutes = int(recall_window.total_seconds() // 60)
            raise self.refusal(Message("ticket.recall_window", {"count": minutes}))
        holding = target is TicketState.HOLD
        moved = msgspec.structs.replace(
            self,
            state=target,
            version=self.version + 1,
            updated_at=at,
            held_from=self.state if holding else None,
            fire_at=fire_at if holding else None,
            prep_at=(self.prep_at or at) if target is TicketState.IN_PREP else self.prep_at,
            ready_at=at if target is TicketState.READY else self.ready_at,
        )
        transition = TicketTransition(
            ticket_id=self.id,
            source=self.state,
            target=target,
            version=moved.version,
            at=at,
            actor=actor,
            reason=reason,
        )
        return TicketMove(before=self, after=moved, transition=transition)

    def check_version(self, version: int) -> None:
        """``version`` is the one a client saw: refused if the ticket changed since."""
        if version != self.version:
            raise self.refusal(Message("ticket.stale_version"))

    def refusal(self, detail: Message) -> Conflict:
        """A conflict that tells the client what the ticket is now, so it can refresh."""
        return Conflict(detail, state=self.state.value, version=self.version)


class TicketMove(msgspec.Struct, frozen=True, kw_only=True):
    """A move a ticket decided: the ticket before and after, and the history row it
    leaves. A store saves ``after`` and ``transition`` only if the ticket is still at
    ``before.version``."""

    before: Ticket
    after: Ticket
    transition: TicketTransition


class KdsTicket(msgspec.Struct, frozen=True, kw_only=True):
    """A ticket as the kitchen display shows it: with its order's lines."""

    id: UUID
    order_id: UUID
    number: int
    state: TicketState
    version: int
    created_at: datetime
    updated_at: datetime
    lines: tuple[OrderLine, ...]
    customer_name: str | None = None
    held_from: TicketState | None = None
    fire_at: datetime | None = None
    promised_ready_at: datetime | None = None


class HeldFeed(msgspec.Struct, frozen=True, kw_only=True):
    """Which states of a shift's kitchen feed, for one state filter, a client already
    holds: the shift's ``last_seq`` values its tags name, or ``any`` of them (``*``).

    What a tag means is the API's business (``entrypoints/http/etags.py`` builds this);
    a store only compares the shift's ``last_seq`` with these numbers.
    """

    any: bool = False
    seqs: frozenset[int] = frozenset()

    def holds(self, last_seq: int) -> bool:
        return self.any or last_seq in self.seqs
