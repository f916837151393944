"""How often one client may call: counted in a store every worker and instance shares."""

from __future__ import annotations

from typing import Protocol

import msgspec


class RateDecision(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to one hit: whether it is within the limit, and the window's state.

    ``reset_after_seconds`` is how long until the window that counted the hit ends
    (at least 1): the ``Retry-After`` of a refused hit.
    """

    allowed: bool
    limit: int
    remaining: int
    reset_after_seconds: int


class RateLimiter(Protocol):
    """A fixed window of ``limit`` hits per key, counted where every worker sees it.

    ``hit`` counts the hit, refused or not, atomically with reading the count: two
    workers hitting the same key at once never both get the last place in a window.
    Keys are independent; a key's window starts with its first hit and is forgotten
    once it has ended. The store being unreachable raises ``StorageUnavailable``.
    """

    async def hit(self, key: str) -> RateDecision: ...
