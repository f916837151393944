"""A job the service runs by itself on a schedule: one body, whichever runner runs it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    """``run`` every ``every``: a divisor of a minute in whole seconds, or of an hour in
    whole minutes, so that a cron line says the same (``cron``)."""

    name: str
    run: Callable[[], Awaitable[object]]
    every: timedelta

    def __post_init__(self) -> None:
        cron(self.every)  # refuses a period no cron line can say

    @property
    def cron(self) -> str:
        return cron(self.every)


def cron(every: timedelta) -> str:
    """``every`` as a cron line, with procrastinate's sixth column (seconds) when needed."""
    seconds = every.total_seconds()
    if seconds.is_integer() and 1 <= seconds < 60 and 60 % seconds == 0:
        return f"* * * * * */{int(seconds)}"
    minutes = seconds / 60
    if minutes.is_integer() and 1 <= minutes <= 60 and 60 % minutes == 0:
        return "0 * * * *" if minutes == 60 else f"*/{int(minutes)} * * * *"
    raise ValueError(f"no cron line runs something every {every}")
