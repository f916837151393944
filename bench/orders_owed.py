"""How many orders each seeded shift takes (the analytics scenario's year)."""

from __future__ import annotations

import random


class OrdersOwed:
    """How many orders each shift takes: about ``per_shift``, give or take a fifth. A shift
    takes the whole orders owed so far and owes the fraction on, so the year holds the
    orders asked for; rounding each shift's own share gave none below one a shift."""

    def __init__(self, per_shift: float) -> None:
        self._per_shift = per_shift
        self._owed = 0.0

    def next_shift(self, rng: random.Random) -> int:
        self._owed += max(0.0, rng.gauss(self._per_shift, self._per_shift / 5))
        taken = int(self._owed)
        self._owed -= taken
        return taken
