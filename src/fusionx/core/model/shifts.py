"""A shift: a truck checked in at a location, from check-in to checkout."""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.state_machine import StateMachine


class ShiftState(enum.StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


# Paused shifts take no new orders but keep working open tickets; closed is final.
SHIFT_MACHINE = StateMachine[ShiftState](
    "shift",
    [
        (ShiftState.OPEN, ShiftState.PAUSED),
        (ShiftState.PAUSED, ShiftState.OPEN),
        (ShiftState.OPEN, ShiftState.CLOSED),
        (ShiftState.PAUSED, ShiftState.CLOSED),
    ],
)


class Shift(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    truck_id: UUID
    location_id: UUID
    state: ShiftState
    opened_at: datetime
    opened_by: Actor
    closed_at: datetime | None = None

    @property
    def takes_orders(self) -> bool:
        return self.state is ShiftState.OPEN


class ShiftTransition(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of a shift's history; ``source`` is None for the check-in."""

    shift_id: UUID
    source: ShiftState | None
    target: ShiftState
    at: datetime
    actor: Actor
    reason: str | None = None
