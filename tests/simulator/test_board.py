"""Tickets rebuilt from events alone, and compared with what REST lists."""

from __future__ import annotations

from typing import Any

from fusionx.simulator.board import TicketBoard, differences
from fusionx.simulator.messages import StreamEvent, TicketView


def event(seq: int, kind: str, **data: Any) -> StreamEvent:
    return StreamEvent(seq=seq, type=kind, shift_id="s1", at="2026-01-01T12:00:00Z", data=data)


def created(seq: int, ticket_id: str, number: int) -> StreamEvent:
    ticket = {"id": ticket_id, "number": number, "state": "new", "version": 1}
    return event(seq, "order.created", order={"id": f"o{number}", "number": number}, ticket=ticket)


def moved(seq: int, ticket_id: str, source: str, target: str, version: int) -> StreamEvent:
    return event(
        seq, "ticket.state_changed", ticket_id=ticket_id, to=target, version=version,
        **{"from": source},
    )  # fmt: skip


def ticket(ticket_id: str, number: int, state: str, version: int) -> TicketView:
    return TicketView(id=ticket_id, number=number, state=state, version=version)


def test_orders_and_moves_rebuild_each_ticket() -> None:
    board = TicketBoard()
    for e in (
        created(1, "t1", 1),
        event(2, "stock.changed", item_id="i1", delta=-1, on_hand=9),
        created(3, "t2", 2),
        moved(4, "t1", "new", "in_prep", 2),
        moved(5, "t1", "in_prep", "ready", 3),
        moved(6, "t1", "ready", "completed", 4),
    ):
        board.apply(e)

    assert board.tickets == {"t1": ticket("t1", 1, "completed", 4), "t2": ticket("t2", 2, "new", 1)}
    assert board.counts() == {"completed": 1, "new": 1}
    assert board.anomalies == []


def test_the_board_starts_from_a_snapshot() -> None:
    board = TicketBoard()
    board.load([ticket("t9", 9, "in_prep", 2)])

    assert board.apply(moved(40, "t9", "in_prep", "ready", 3)) == ticket("t9", 9, "ready", 3)
    assert board.anomalies == []


def test_a_move_from_a_state_the_stream_never_showed_is_an_anomaly() -> None:
    board = TicketBoard()
    board.apply(created(1, "t1", 1))

    board.apply(moved(2, "t1", "in_prep", "ready", 3))  # the new → in_prep move is missing

    assert board.anomalies == [
        "seq 2: ticket #1 went in_prep→ready v3, but the stream had it new v1"
    ]
    assert board.tickets["t1"] == ticket("t1", 1, "ready", 3)


def test_a_move_of_an_unknown_ticket_and_a_ticket_created_twice_are_anomalies() -> None:
    board = TicketBoard()
    board.apply(moved(1, "ghost", "new", "in_prep", 2))
    board.apply(created(2, "t1", 1))
    board.apply(created(3, "t1", 1))

    assert board.anomalies == [
        "seq 1: change of unknown ticket ghost",
        "seq 3: ticket #1 created twice",
    ]


def test_agreement_with_rest_is_no_differences() -> None:
    board = TicketBoard()
    board.load([ticket("t1", 1, "completed", 4), ticket("t2", 2, "ready", 3)])

    rest = {"completed": [ticket("t1", 1, "completed", 4)], "ready": [ticket("t2", 2, "ready", 3)]}

    assert differences(board, rest) == []


def test_each_kind_of_disagreement_with_rest_is_named() -> None:
    board = TicketBoard()
    board.load([ticket("t1", 1, "ready", 3), ticket("t2", 2, "new", 1)])

    rest = {"completed": [ticket("t1", 1, "completed", 4)], "new": [ticket("t3", 3, "new", 1)]}

    assert differences(board, rest) == [
        "ticket #1: stream says ready v3, REST says completed v4",
        "ticket #2 is new in stream, not over REST",
        "ticket #3 is new over REST, unseen in stream",
    ]
