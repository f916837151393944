from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fusionx.core.rules.login_throttle import ThrottlePolicy, seconds_to_wait

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(max_failures=3, window=timedelta(minutes=10))


def test_attempts_below_the_limit_go_ahead() -> None:
    failures = [NOW - timedelta(minutes=1)] * 2
    assert seconds_to_wait(failures, NOW, POLICY) == 0


def test_reaching_the_limit_waits_until_the_oldest_failure_leaves_the_window() -> None:
    failures = [NOW - timedelta(minutes=9), NOW - timedelta(minutes=2), NOW]
    assert seconds_to_wait(failures, NOW, POLICY) == 60


def test_failures_older_than_the_window_do_not_count() -> None:
    failures = [NOW - timedelta(minutes=11), NOW - timedelta(minutes=1), NOW]
    assert seconds_to_wait(failures, NOW, POLICY) == 0


def test_beyond_the_limit_enough_failures_must_age_out_to_leave_room() -> None:
    failures = [NOW - timedelta(minutes=m) for m in (9, 8, 5, 1)]
    # Four recent failures, limit three: two must leave; the second oldest goes at +2 min.
    assert seconds_to_wait(failures, NOW, POLICY) == 120
