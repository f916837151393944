"""The sequence check: what a correct stream looks like, and each way one can go wrong."""

from __future__ import annotations

from fusionx.simulator.checker import Arrival, SeqChecker


def feed(checker: SeqChecker, *seqs: int) -> list[Arrival]:
    return [checker.observe(seq) for seq in seqs]


def test_consecutive_numbers_after_the_start_are_clean() -> None:
    checker = SeqChecker(start=7)

    assert set(feed(checker, 8, 9, 10)) == {Arrival.NEXT}
    assert checker.clean
    assert (checker.last_seq, checker.received, checker.missing) == (10, 3, [])


def test_a_jump_is_a_gap_naming_the_numbers_skipped() -> None:
    checker = SeqChecker()

    assert feed(checker, 1, 2, 5, 6) == [Arrival.NEXT, Arrival.NEXT, Arrival.GAP, Arrival.NEXT]
    assert (checker.gaps, checker.missing, checker.last_seq) == (1, [3, 4], 6)
    assert not checker.clean


def test_the_first_event_must_follow_the_start() -> None:
    checker = SeqChecker(start=10)

    assert feed(checker, 12) == [Arrival.GAP]
    assert checker.missing == [11]


def test_a_repeat_is_a_duplicate_and_does_not_move_the_position() -> None:
    checker = SeqChecker()

    assert feed(checker, 1, 2, 2, 1, 3) == [
        Arrival.NEXT, Arrival.NEXT, Arrival.DUPLICATE, Arrival.DUPLICATE, Arrival.NEXT,
    ]  # fmt: skip
    assert (checker.duplicates, checker.gaps, checker.last_seq) == (2, 0, 3)


def test_numbers_at_or_before_the_start_are_duplicates() -> None:
    checker = SeqChecker(start=5)

    assert feed(checker, 5, 3) == [Arrival.DUPLICATE, Arrival.DUPLICATE]


def test_a_late_number_fills_its_gap_but_counts_as_out_of_order() -> None:
    checker = SeqChecker()

    assert feed(checker, 1, 3, 2, 4) == [Arrival.NEXT, Arrival.GAP, Arrival.LATE, Arrival.NEXT]
    assert (checker.gaps, checker.out_of_order, checker.missing) == (1, 1, [])
    assert not checker.clean


def test_a_late_number_that_comes_twice_is_then_a_duplicate() -> None:
    checker = SeqChecker()

    assert feed(checker, 2, 1, 1) == [Arrival.GAP, Arrival.LATE, Arrival.DUPLICATE]
