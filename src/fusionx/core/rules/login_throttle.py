"""How many failed sign-ins we tolerate before making the caller wait.

Failures are counted per account and per client address over a rolling window.
Once a key has ``max_failures`` inside the window, further attempts wait until the
oldest counted failure leaves the window.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

import msgspec


class ThrottlePolicy(msgspec.Struct, frozen=True, kw_only=True):
    max_failures: int
    window: timedelta


ACCOUNT_POLICY = ThrottlePolicy(max_failures=5, window=timedelta(minutes=15))
ADDRESS_POLICY = ThrottlePolicy(max_failures=20, window=timedelta(minutes=15))


def seconds_to_wait(failures: Sequence[datetime], now: datetime, policy: ThrottlePolicy) -> int:
    """0 when an attempt may go ahead, else whole seconds until it may."""
    recent = sorted(at for at in failures if at > now - policy.window)
    if len(recent) < policy.max_failures:
        return 0
    # The attempt frees up when enough old failures age out to leave room for one more.
    unblocking = recent[len(recent) - policy.max_failures]
    return max(1, math.ceil((unblocking + policy.window - now).total_seconds()))


def account_key(normalized_email: str) -> str:
    return f"account:{normalized_email}"


def address_key(client_address: str) -> str:
    return f"address:{client_address}"
