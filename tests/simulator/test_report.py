"""The summary: clean only when the stream and REST agree and the kitchen finished."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fusionx.simulator.checker import SeqChecker
from fusionx.simulator.report import SimulationReport, progress_line


def report(checker: SeqChecker | None = None, **changes: Any) -> SimulationReport:
    if checker is None:
        checker = SeqChecker(start=2)
        for seq in range(3, 11):
            checker.observe(seq)
    fields: dict[str, Any] = {
        "shift_id": "s1", "truck_id": "t1", "reused_shift": False, "seconds": 3.2,
        "orders_wanted": 2, "orders_placed": 2, "orders_refused": 0, "kitchen_moves": 6,
        "kitchen_conflicts": 1, "double_taps": 1, "double_wins": 0, "tickets_completed": 2,
        "checker": checker, "events_by_type": Counter({"order.created": 2}),
        "connections": 2, "resumed_at": [5], "unplanned_drops": 0, "pings": 0,
        "shift_last_seq": 10, "rest_seq": 10, "tickets_by_state": Counter({"completed": 2}),
    }  # fmt: skip
    return SimulationReport(**(fields | changes))


def test_a_clean_run_says_so_with_zero_gaps() -> None:
    summary = report()

    assert summary.clean
    text = summary.render()
    assert "  gaps                0\n" in text
    assert text.endswith("result: clean")


def test_a_gap_fails_the_run_and_names_the_missing_numbers() -> None:
    checker = SeqChecker()
    for seq in (1, 2, 5):
        checker.observe(seq)

    summary = report(checker, shift_last_seq=5, rest_seq=5)

    assert summary.stream_problems == [
        "the stream skipped, repeated or reordered events",
        "never received seq 3, 4",
    ]
    assert "  gaps                1\n" in summary.render()
    assert summary.render().endswith("result: FAILED")


def test_a_stream_behind_the_shift_or_without_its_reconnect_fails() -> None:
    summary = report(shift_last_seq=12, rest_seq=12, resumed_at=[])

    assert summary.stream_problems == [
        "stream ends at seq 10, the shift at 12",
        "the planned reconnect did not happen",
    ]


def test_open_tickets_and_double_wins_fail_the_run_but_not_the_stream() -> None:
    summary = report(tickets_by_state=Counter({"completed": 1, "ready": 1}), double_wins=1)

    assert summary.stream_problems == []
    assert summary.run_problems == [
        "1 tickets still open at the end",
        "1 moves were accepted twice from the same version",
    ]
    assert not summary.clean


def test_the_progress_line_counts_tickets_by_state_and_events() -> None:
    line = progress_line(1.5, 3, 10, Counter({"new": 1, "completed": 2}), SeqChecker(start=4))

    assert line == (
        "[   1.5s] orders 3/10 | tickets new 1 in_prep 0 ready 0 completed 2 | events 0 (seq 4)"
    )


def test_orders_refused_for_capacity_show_the_next_free_slot_and_keep_the_run_clean() -> None:
    summary = report(orders_wanted=5, orders_full=3, next_free_slot="2026-01-05T12:15:00Z")

    assert summary.clean
    assert "3 refused for capacity; next free slot 2026-01-05T12:15:00Z" in summary.render()
