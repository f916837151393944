"""The kitchen: works every ticket it sees through new → in prep → ready → completed."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from fusionx.simulator.api import Stale
from fusionx.simulator.messages import TicketView

NEXT_STATE = {"new": "in_prep", "in_prep": "ready", "ready": "completed"}
# How a ticket's kitchen time splits: waiting to be picked up, cooking, handing over.
_SHARE_BEFORE = {"in_prep": 0.15, "ready": 0.65, "completed": 0.20}

Spawn = Callable[[Coroutine[Any, Any, None]], "asyncio.Task[None]"]


class TicketMover(Protocol):
    async def move_ticket(self, ticket_id: str, to: str, version: int) -> int | Stale: ...


class Kitchen:
    """One cook per ticket, working in parallel, with randomised times around
    ``prep_seconds`` a ticket. A refused move (someone else moved the ticket first) is
    answered by taking the ticket's current state and version from the refusal and
    deciding again. With probability ``double_tap`` a move is sent twice at once, as by
    two tablets, to check that the server lets exactly one through."""

    def __init__(
        self,
        mover: TicketMover,
        *,
        spawn: Spawn,
        prep_seconds: float,
        rng: random.Random,
        double_tap: float = 0.0,
    ) -> None:
        self._mover = mover
        self._double_tap = double_tap
        self._spawn = spawn
        self._prep_seconds = prep_seconds
        self._rng = rng
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self.moves = 0
        self.conflicts = 0
        self.completed = 0
        self.ended_elsewhere = 0  # cancelled, or completed by someone else
        self.double_taps = 0
        self.double_wins = 0  # both taps accepted: the server let a stale version through

    def take(self, ticket: TicketView) -> None:
        """Start on a ticket (once); tickets already completed or cancelled are ignored."""
        if ticket.id not in self._tasks and ticket.state in NEXT_STATE:
            self._tasks[ticket.id] = self._spawn(self._work(ticket))

    @property
    def busy(self) -> int:
        return sum(not task.done() for task in self._tasks.values())

    async def finished(self) -> None:
        """Wait for every ticket taken so far."""
        while pending := [task for task in self._tasks.values() if not task.done()]:
            await asyncio.wait(pending)

    def stop(self) -> None:
        """Walk away from the tickets still being worked."""
        for task in self._tasks.values():
            task.cancel()

    async def _work(self, ticket: TicketView) -> None:
        state, version, refreshed = ticket.state, ticket.version, False
        while (target := NEXT_STATE.get(state)) is not None:
            if not refreshed:
                await asyncio.sleep(self._pause(target))
            moved = await self._move(ticket.id, target, version)
            if isinstance(moved, Stale):
                self.conflicts += 1
                state, version, refreshed = moved.state, moved.version, True
                continue
            self.moves += 1
            state, version, refreshed = target, moved, False
            if state == "completed":
                self.completed += 1
                return
        self.ended_elsewhere += 1

    async def _move(self, ticket_id: str, target: str, version: int) -> int | Stale:
        if self._rng.random() >= self._double_tap:
            return await self._mover.move_ticket(ticket_id, target, version)
        # Two tablets tap the same ticket at once: exactly one may win.
        self.double_taps += 1
        taps = await asyncio.gather(
            self._mover.move_ticket(ticket_id, target, version),
            self._mover.move_ticket(ticket_id, target, version),
        )
        wins = [tap for tap in taps if not isinstance(tap, Stale)]
        self.conflicts += len(taps) - len(wins)
        self.double_wins += len(wins) > 1
        return wins[0] if wins else taps[0]

    def _pause(self, target: str) -> float:
        return self._prep_seconds * _SHARE_BEFORE[target] * self._rng.uniform(0.5, 1.5)
