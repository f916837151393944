"""The bench's verdict on errors: any answer a scenario did not expect, in any scenario
FusionX serves (the stream runs' orders included), makes the errors target fail."""

from __future__ import annotations

from typing import Any

import pytest

from bench import report

_EXPECTED = {
    "ceiling feed": "200",
    "floor feed": "200",
    "feed": "200",
    "floor feed 304": "304",
    "feed 304": "304",
    "ceiling update": "200",
    "floor transition, no auth": "200",
    "floor transition": "200",
    "transition": "200",
    "ceiling order": "201",
    "floor order": "201",
    "order": "201",
}
_STOCK = {"oversold": 0}


def _round() -> dict[str, Any]:
    """A round in which every scenario answered as expected."""
    scenarios: dict[str, Any] = {
        name: {"statuses": {status: 100}, "seconds": 10.0, "socket_errors": 0}
        for name, status in _EXPECTED.items()
    }
    for name in ("ceiling order", "floor order", "order"):
        scenarios[name]["stock"] = _STOCK
    for name in ("stream", "floor stream"):
        scenarios[name] = {
            "lost": 0, "duplicated": 0, "out_of_order": 0, "commit_p99_ms": 40.0,
            "p99_ms": 45.0, "clients": 500, "events_per_s": 20.0, "orders": {"201": 200},
        }  # fmt: skip
    scenarios["export"] = {
        "orders": 10, "rss_growth_mb": 1.0, "memory_bound_mb": 30, "within_bound": True,
        "rows_complete": True, "first_byte_ms": 2.0,
    }  # fmt: skip
    return {"scenarios": scenarios, "rss_mb": {"fusionx_workers": [140.0], "floor_workers": [90.0]}}


def _fusionx_errors(round_: dict[str, Any]) -> dict[str, Any]:
    rows = report.targets(round_, {"ws_clients": 500})
    return next(row for row in rows if row["target"].startswith("FusionX errors"))


def test_a_round_that_answered_as_expected_has_no_error() -> None:
    assert _fusionx_errors(_round()) | {"target": ""} == {
        "target": "", "measured": 0, "wanted": "0", "met": True,
    }  # fmt: skip


@pytest.mark.parametrize("scenario", ["feed", "feed 304", "transition", "order"])
def test_an_unexpected_answer_of_fusionx_is_an_error(scenario: str) -> None:
    round_ = _round()
    round_["scenarios"][scenario]["statuses"]["503"] = 2
    assert _fusionx_errors(round_)["measured"] == 2
    assert not _fusionx_errors(round_)["met"]


@pytest.mark.parametrize("stream", ["stream", "floor stream"])
@pytest.mark.parametrize("answer", ["503", "409", "ReadTimeout"])
def test_an_order_a_stream_run_could_not_place_is_an_error(stream: str, answer: str) -> None:
    # The events both streams deliver come from orders placed through FusionX.
    round_ = _round()
    round_["scenarios"][stream]["orders"][answer] = 3
    assert _fusionx_errors(round_)["measured"] == 3
    assert not _fusionx_errors(round_)["met"]
