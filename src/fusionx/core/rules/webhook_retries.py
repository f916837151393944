"""When a failed webhook delivery is tried again: exponential backoff with full jitter.

The n-th retry waits a random time between 1 second and ``min(1 hour, 30 s * 2**(n-1))``:
exponential, so a receiver that is down is not hammered; capped, so a receiver that
comes back within the day hears from us within the hour; and fully jittered, so the
deliveries that failed together (every endpoint of a receiver that went down) do not
all come back together. A delivery that fails at or after its ``give_up_at`` (a day
after its event) is parked as a dead letter instead.
"""

from __future__ import annotations

from datetime import timedelta

BASE = timedelta(seconds=30)
CAP = timedelta(hours=1)
FLOOR = timedelta(seconds=1)


def ceiling(failures: int) -> timedelta:
    """The longest wait after the ``failures``-th failure in a row (1 or more)."""
    if failures >= 20:
        return CAP
    doubled: timedelta = BASE * (1 << (failures - 1))
    return min(CAP, doubled)


def retry_delay(failures: int, draw: float) -> timedelta:
    """The wait after the ``failures``-th failure, ``draw`` a uniform random in [0, 1)."""
    wait: timedelta = ceiling(failures) * draw
    return max(FLOOR, wait)
