from __future__ import annotations

from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWorkFactory

# Shifts per unit of work: a few seconds of work at most, so a restart loses little.
ROLL_UP_BATCH = 200
# Units per run: a backlog (a first run over years of shifts) drains over several runs.
MAX_BATCHES = 50


class RollUpAnalytics:
    """Keep the analytics rollup up to date with the closed shifts.

    Rules:
    - a closed shift is rolled up once it is closed, and again whenever its event log
      has moved on since (a late ticket move, a cancellation, a refund);
    - open shifts are never rolled up: queries read them from their rows;
    - batches of 200 shifts, each in its own unit; at most 50 batches a run;
    - a shift's rows are replaced whole, in one unit: a runner racing another for the
      same shifts fails on their keys and rolls back, and the rollup stays whole (the
      queue runs one at a time anyway).
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self) -> int:
        """How many shifts this run rolled up."""
        done = 0
        for _ in range(MAX_BATCHES):
            async with self._uow() as uow:
                rolled = await uow.analytics.roll_up(self._clock.now(), limit=ROLL_UP_BATCH)
                await uow.commit()
            done += rolled
            if rolled < ROLL_UP_BATCH:
                break
        return done
