"""A state machine as one declarative table of allowed moves.

Later features (hold, recall, refunds) extend a machine by adding rows, never by
adding branches to the code that uses it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Generic, TypeVar

S = TypeVar("S", bound=enum.Enum)


class StateMachine(Generic[S]):
    def __init__(self, name: str, moves: Iterable[tuple[S, S]]) -> None:
        self.name = name
        self.moves: frozenset[tuple[S, S]] = frozenset(moves)

    def allows(self, source: S, target: S) -> bool:
        return (source, target) in self.moves

    def targets(self, source: S) -> frozenset[S]:
        return frozenset(target for start, target in self.moves if start == source)

    def extended(self, moves: Iterable[tuple[S, S]]) -> StateMachine[S]:
        return StateMachine(self.name, self.moves | frozenset(moves))
