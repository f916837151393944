"""Our reading of the rate notation answers as the ``limits`` library's own ``parse``."""

from __future__ import annotations

import pytest
from limits import parse

from fusionx.adapters.rate_limits.notation import Rate, parse_rate

VALID = [
    "60/minute",
    "60 per minute",
    "10 PER Second",
    "5/2 hours",
    "1 per 0 day",
    "100000/minute",
    " 3 / 10 seconds ",
    "7/month",
    "2/years",
    "1/second; 5/minute",
    "4/hour,9/day|1/year",
    "1/second:;5/minute",
]
INVALID = [
    "",
    "60",
    "minute",
    "60/fortnight",
    "60/minutess",
    "-1/minute",
    "1.5/minute",
    "60/minute; 5/fortnight",
    "60/minute;",
    "one per minute",
]


@pytest.mark.parametrize("notation", VALID)
def test_a_rate_reads_as_the_library_reads_it(notation: str) -> None:
    item = parse(notation)

    assert parse_rate(notation) == Rate(amount=item.amount, seconds=item.get_expiry())


@pytest.mark.parametrize("notation", INVALID)
def test_what_the_library_refuses_is_refused(notation: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the library says no more than this
        parse(notation)
    with pytest.raises(ValueError):  # noqa: PT011
        parse_rate(notation)
