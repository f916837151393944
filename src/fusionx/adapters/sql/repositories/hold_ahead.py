"""PostgreSQL: an order's shift held and numbered by the statement that takes its stock.

An order takes its stock, then holds its shift's row and takes its number
(``order_admission.admit``, ``hold_for_order``): two round trips, the stock rows held
across the second. A unit whose intake read a shift (``PgShiftRepository.order_intake``:
an order is being placed on it) asks for its hold ahead; the unit's next stock take of
that shift's items alone then holds the shift in the same statement, after its stock
rows and only when nothing was short (stock rows before the shift row, as the lock order
wants), and leaves the row here for ``hold_for_order``, which sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID


@dataclass
class HoldAhead:
    """The shifts a unit will hold for an order (``wanted``), and each one's row as the
    stock take held and numbered it (``held``: the shift's columns, then the number).
    Emptied with the unit's other memos."""

    wanted: set[UUID] = field(default_factory=set)
    held: dict[UUID, tuple[Any, ...]] = field(default_factory=dict)

    def shift_to_hold(self, shifts: set[UUID]) -> UUID | None:
        """The shift a take of items of ``shifts`` should hold too, if one was wanted;
        asked once."""
        if len(shifts) != 1:
            return None
        (shift,) = shifts
        if shift not in self.wanted:
            return None
        self.wanted.discard(shift)
        return shift

    def clear(self) -> None:
        self.wanted.clear()
        self.held.clear()
