"""When an alert fires, and how often a failed delivery is tried again."""

from __future__ import annotations

from datetime import timedelta

# Used when neither the shift nor the menu item sets a low-stock threshold.
DEFAULT_LOW_STOCK_THRESHOLD = 5
MAX_THRESHOLD = 10_000

# Attempts per notification before it is given up as failed.
MAX_ATTEMPTS = 8
_FIRST_RETRY = timedelta(seconds=5)
_LONGEST_RETRY = timedelta(minutes=15)


def crossed_low_stock(before: int, after: int, threshold: int) -> bool:
    """True once, on the movement that takes stock from above the threshold to at or
    below it while some is left (running out is the sold-out alert's business)."""
    return before > threshold >= after > 0


def retry_delay(attempts: int, retry_after_seconds: float | None = None) -> timedelta:
    """Exponential backoff after the ``attempts``-th failed try: 5 s, 10 s, 20 s… at most
    15 min; a provider's own Retry-After is honoured when it asks for longer."""
    delay: timedelta = min(_FIRST_RETRY * 2 ** max(attempts - 1, 0), _LONGEST_RETRY)
    if retry_after_seconds is not None:
        delay = max(delay, min(timedelta(seconds=retry_after_seconds), _LONGEST_RETRY))
    return delay
