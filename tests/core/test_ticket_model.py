"""``Ticket.move``: the ticket's rules, with no store. Every pair of states is tried: the
rows of the state table move and stamp, every other pair is refused."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusionx.core.errors import Conflict
from fusionx.core.messages import Message
from fusionx.core.model.tickets import (
    DEFAULT_RECALL_WINDOW,
    HOLDABLE_STATES,
    TICKET_MACHINE,
    Ticket,
    TicketState,
)
from tests.support.entities import T0, a_ticket, an_actor, an_order, new_id

AT = T0 + timedelta(minutes=5)
EARLIER = T0 + timedelta(minutes=1)
PAIRS = list(itertools.product(TicketState, TicketState))
ALLOWED = [pair for pair in PAIRS if pair in TICKET_MACHINE.moves]
REFUSED = [pair for pair in PAIRS if pair not in TICKET_MACHINE.moves]


def _ticket_in(state: TicketState, *, resumes_to: TicketState | None = None) -> Ticket:
    """A ticket at version 3 in ``state``, last changed a minute ago, prep and ready
    stamped long before; a HOLD ticket held from ``resumes_to`` (NEW by default)."""
    held = state is TicketState.HOLD
    return a_ticket(
        an_order(new_id(), []),
        state=state,
        version=3,
        updated_at=AT - timedelta(minutes=1),
        held_from=(resumes_to or TicketState.NEW) if held else None,
        fire_at=AT + timedelta(minutes=30) if held else None,
        prep_at=EARLIER,
        ready_at=EARLIER,
    )


def test_the_table_has_rows_and_refusals_to_try() -> None:
    assert len(ALLOWED) == len(TICKET_MACHINE.moves) == 14
    assert len(REFUSED) == len(PAIRS) - 14


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=lambda s: s.value)
def test_every_row_of_the_table_moves_and_stamps(source: TicketState, target: TicketState) -> None:
    resumes_to = target if target in HOLDABLE_STATES else None
    ticket = _ticket_in(source, resumes_to=resumes_to)
    actor, fire_at = an_actor(), AT + timedelta(minutes=20)

    move = ticket.move(target, at=AT, actor=actor, reason="why", fire_at=fire_at, version=3)

    holding = target is TicketState.HOLD
    assert move.before == ticket
    assert move.after == msgspec.structs.replace(
        ticket,
        state=target,
        version=4,
        updated_at=AT,
        held_from=source if holding else None,
        fire_at=fire_at if holding else None,
        # The first move to prep stamps prep_at: this ticket's was stamped already.
        prep_at=EARLIER,
        ready_at=AT if target is TicketState.READY else EARLIER,
    )
    assert (move.transition.source, move.transition.target) == (source, target)
    assert (move.transition.version, move.transition.at) == (4, AT)
    assert (move.transition.actor, move.transition.reason) == (actor, "why")
    assert move.transition.ticket_id == ticket.id


@pytest.mark.parametrize(("source", "target"), REFUSED, ids=lambda s: s.value)
def test_every_other_pair_is_refused_with_the_current_state(
    source: TicketState, target: TicketState
) -> None:
    ticket = _ticket_in(source)

    with pytest.raises(Conflict) as refused:
        ticket.move(target, at=AT, actor=an_actor())

    assert refused.value.detail == Message(
        "ticket.cannot_become", {"state": source.value, "target": target.value}
    )
    assert refused.value.context == {"state": source.value, "version": 3}


def test_the_first_move_to_prep_stamps_the_prep_time_and_later_ones_keep_it() -> None:
    fresh = a_ticket(an_order(new_id(), []))
    assert (fresh.prep_at, fresh.ready_at) == (None, None)

    cooking = fresh.move(TicketState.IN_PREP, at=EARLIER, actor=an_actor()).after
    held = cooking.move(TicketState.HOLD, at=AT, actor=an_actor()).after
    resumed = held.move(TicketState.IN_PREP, at=AT + timedelta(minutes=1), actor=an_actor()).after

    assert cooking.prep_at == held.prep_at == resumed.prep_at == EARLIER
    assert resumed.ready_at is None


def test_a_recall_stamps_ready_again() -> None:
    ready = a_ticket(an_order(new_id(), []), state=TicketState.READY, ready_at=EARLIER)
    done = ready.move(TicketState.COMPLETED, at=AT, actor=an_actor()).after
    recalled = done.move(TicketState.READY, at=AT + timedelta(minutes=2), actor=an_actor()).after

    assert done.ready_at == EARLIER
    assert recalled.ready_at == AT + timedelta(minutes=2)


@pytest.mark.parametrize("held_from", sorted(HOLDABLE_STATES))
def test_a_held_ticket_resumes_only_where_it_was_held(held_from: TicketState) -> None:
    other = next(iter(HOLDABLE_STATES - {held_from}))
    held = _ticket_in(TicketState.HOLD, resumes_to=held_from)

    resumed = held.move(held_from, at=AT, actor=an_actor()).after
    with pytest.raises(Conflict) as refused:
        held.move(other, at=AT, actor=an_actor())

    assert (resumed.state, resumed.held_from, resumed.fire_at) == (held_from, None, None)
    assert refused.value.detail == Message("ticket.resumes_to", {"state": held_from.value})


def test_a_hold_remembers_where_it_was_held_from_and_when_it_fires() -> None:
    ticket = _ticket_in(TicketState.IN_PREP)
    fire_at = AT + timedelta(minutes=15)

    held = ticket.move(TicketState.HOLD, at=AT, actor=an_actor(), fire_at=fire_at).after
    by_hand = ticket.move(TicketState.HOLD, at=AT, actor=an_actor()).after

    assert (held.held_from, held.fire_at) == (TicketState.IN_PREP, fire_at)
    assert (by_hand.held_from, by_hand.fire_at) == (TicketState.IN_PREP, None)


def test_only_a_hold_keeps_a_fire_time() -> None:
    ticket = _ticket_in(TicketState.NEW)

    moved = ticket.move(TicketState.IN_PREP, at=AT, actor=an_actor(), fire_at=AT).after

    assert moved.fire_at is None


@pytest.mark.parametrize(
    ("after", "allowed"),
    [
        (timedelta(0), True),
        (DEFAULT_RECALL_WINDOW - timedelta(microseconds=1), True),
        (DEFAULT_RECALL_WINDOW, True),
        (DEFAULT_RECALL_WINDOW + timedelta(microseconds=1), False),
        (timedelta(hours=3), False),
    ],
)
def test_a_recall_is_allowed_up_to_the_end_of_its_window(after: timedelta, allowed: bool) -> None:
    completed = a_ticket(an_order(new_id(), []), state=TicketState.COMPLETED, updated_at=T0)

    if allowed:
        assert completed.move(TicketState.READY, at=T0 + after, actor=an_actor())
    else:
        with pytest.raises(Conflict) as refused:
            completed.move(TicketState.READY, at=T0 + after, actor=an_actor())
        assert refused.value.detail == Message("ticket.recall_window", {"count": 10})


def test_the_recall_window_is_the_callers() -> None:
    completed = a_ticket(an_order(new_id(), []), state=TicketState.COMPLETED, updated_at=T0)
    window = timedelta(minutes=2)
    at = T0 + timedelta(minutes=3)

    with pytest.raises(Conflict) as refused:
        completed.move(TicketState.READY, at=at, actor=an_actor(), recall_window=window)
    assert refused.value.detail == Message("ticket.recall_window", {"count": 2})
    assert completed.move(
        TicketState.READY, at=at, actor=an_actor(), recall_window=timedelta(minutes=3)
    )


def test_a_move_from_another_version_than_the_tickets_is_refused() -> None:
    ticket = _ticket_in(TicketState.NEW)

    with pytest.raises(Conflict) as refused:
        ticket.move(TicketState.IN_PREP, at=AT, actor=an_actor(), version=2)

    assert refused.value.detail == Message("ticket.stale_version")
    assert refused.value.context == {"state": "new", "version": 3}


@given(
    st.lists(
        st.tuples(st.sampled_from(TicketState), st.integers(min_value=0, max_value=900)),
        max_size=30,
    )
)
def test_whatever_is_asked_the_stamps_follow_the_moves_made(
    asked: list[tuple[TicketState, int]],
) -> None:
    ticket = a_ticket(an_order(new_id(), []))
    at: datetime = T0
    made: list[tuple[TicketState, datetime]] = []
    for target, seconds in asked:
        at += timedelta(seconds=seconds)
        try:
            ticket = ticket.move(target, at=at, actor=an_actor(), version=ticket.version).after
        except Conflict:
            continue
        made.append((target, at))

    preps = [when for state, when in made if state is TicketState.IN_PREP]
    readies = [when for state, when in made if state is TicketState.READY]
    assert ticket.version == 1 + len(made)
    assert ticket.prep_at == min(preps, default=None)
    assert ticket.ready_at == max(readies, default=None)
    assert ticket.state is (made[-1][0] if made else TicketState.NEW)
    assert (ticket.held_from is not None) == (ticket.state is TicketState.HOLD)
