"""Sequence checks on a shift's event stream: every number once, in order, none missing."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Arrival(enum.Enum):
    NEXT = "next"  # the number after the last one: all is well
    GAP = "gap"  # ahead of the next number: some were skipped
    LATE = "late"  # fills an earlier gap: out of order
    DUPLICATE = "duplicate"  # seen before (or at or before where the stream started)


@dataclass
class SeqChecker:
    """Follows the ``seq`` of each event from a stream that starts after ``start``.

    A stream the server serves correctly gives ``start + 1, start + 2, …``: every
    arrival is NEXT. ``last_seq`` is the highest number received, which is what a
    reconnecting client asks to resume after.
    """

    start: int = 0
    last_seq: int = field(init=False)
    received: int = 0
    gaps: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    _missing: set[int] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self.last_seq = self.start

    def observe(self, seq: int) -> Arrival:
        self.received += 1
        if seq == self.last_seq + 1:
            self.last_seq = seq
            return Arrival.NEXT
        if seq > self.last_seq:
            self.gaps += 1
            self._missing.update(range(self.last_seq + 1, seq))
            self.last_seq = seq
            return Arrival.GAP
        if seq in self._missing:
            self._missing.discard(seq)
            self.out_of_order += 1
            return Arrival.LATE
        self.duplicates += 1
        return Arrival.DUPLICATE

    @property
    def missing(self) -> list[int]:
        """Numbers skipped and never received since."""
        return sorted(self._missing)

    @property
    def clean(self) -> bool:
        return not (self.gaps or self.duplicates or self.out_of_order)
