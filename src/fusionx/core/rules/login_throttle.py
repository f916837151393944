"""How many failed sign-ins we tolerate before making the caller wait.

Failures are counted over a rolling window, per client address and account together
(a mistyping person, or one guesser at one account) and per client address alone (one
guesser trying many accounts). Never per account alone: a stranger's failures from one
address must not lock the account's owner out from another. Once a key has
``max_failures`` inside the window, further attempts wait until the oldest counted
failure leaves the window.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from datetime import datetime, timedelta

import msgspec


class ThrottlePolicy(msgspec.Struct, frozen=True, kw_only=True):
    max_failures: int
    window: timedelta


# An address guessing one account's password; docs/security.md says why these values.
PAIR_POLICY = ThrottlePolicy(max_failures=5, window=timedelta(minutes=15))
ADDRESS_POLICY = ThrottlePolicy(max_failures=20, window=timedelta(minutes=15))


def seconds_to_wait(failures: Sequence[datetime], now: datetime, policy: ThrottlePolicy) -> int:
    """0 when an attempt may go ahead, else whole seconds until it may."""
    recent = sorted(at for at in failures if at > now - policy.window)
    if len(recent) < policy.max_failures:
        return 0
    # The attempt frees up when enough old failures age out to leave room for one more.
    unblocking = recent[len(recent) - policy.max_failures]
    return max(1, math.ceil((unblocking + policy.window - now).total_seconds()))


def pair_key(client_address: str, normalized_email: str) -> str:
    """One address's attempts at one account. Hashed: an address and an email together
    may be longer than a key holds, and a log of failures need not name either."""
    pair = f"{client_address}\n{normalized_email}".encode()
    return f"pair:{hashlib.sha256(pair).hexdigest()}"


def address_key(client_address: str) -> str:
    return f"address:{client_address}"


# Password-reset requests, counted whatever their outcome (known email or not): one
# address asking for many accounts, and one account's inbox flooded from anywhere.
RESET_ADDRESS_POLICY = ThrottlePolicy(max_failures=10, window=timedelta(minutes=15))
RESET_EMAIL_POLICY = ThrottlePolicy(max_failures=3, window=timedelta(minutes=15))


def reset_address_key(client_address: str) -> str:
    return f"reset-address:{client_address}"


def reset_email_key(normalized_email: str) -> str:
    """Hashed like ``pair_key``: the log of attempts need not name the email."""
    return f"reset-email:{hashlib.sha256(normalized_email.encode()).hexdigest()}"


# Customer sign-in codes asked for, counted whatever the outcome (an account or not):
# one address asking for codes to many destinations, and one inbox or phone flooded
# from anywhere (each code a text message we pay for).
CODE_ADDRESS_POLICY = ThrottlePolicy(max_failures=20, window=timedelta(minutes=15))
CODE_DESTINATION_POLICY = ThrottlePolicy(max_failures=5, window=timedelta(minutes=15))


def code_address_key(client_address: str) -> str:
    return f"code-address:{client_address}"


def code_destination_key(destination: str) -> str:
    """Hashed like ``pair_key``: the log of attempts need not name the email or phone."""
    return f"code-destination:{hashlib.sha256(destination.encode()).hexdigest()}"


# Wrong device pairing codes, per client address: a code names no account, so the
# address is what guesses are counted against.
PAIRING_ADDRESS_POLICY = ThrottlePolicy(max_failures=10, window=timedelta(minutes=15))


def pairing_address_key(client_address: str) -> str:
    return f"pairing-address:{client_address}"
