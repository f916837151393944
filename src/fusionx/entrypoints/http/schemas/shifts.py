"""Shifts: check-in, checkout and how a shift and its history look on the wire."""

from __future__ import annotations

from typing import Annotated, Self
from uuid import UUID

import msgspec

from fusionx.core.model.shifts import Shift, ShiftState, ShiftTransition
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftRequest
from fusionx.core.use_cases.commands.check_in_truck import CheckInRequest
from fusionx.core.use_cases.queries.view_shift import ShiftDetails
from fusionx.entrypoints.http.schemas.actors import ActorView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text


class CheckInBody(RequestBody, frozen=True, kw_only=True):
    """``reason``: why a manager checks the truck in outside its operating hours
    (required then, recorded on the truck's stream; crew are refused outside them)."""

    truck_id: UUID
    location_id: UUID
    reason: Annotated[str, text(500)] | None = None

    def to_request(self) -> CheckInRequest:
        return CheckInRequest(
            truck_id=self.truck_id, location_id=self.location_id, reason=self.reason
        )


class CheckoutBody(RequestBody, frozen=True, kw_only=True):
    """Optional: without a body, a checkout is not forced. ``force`` cancels the shift's
    open tickets first, with ``reason`` (then required) as theirs and the checkout's."""

    force: bool = False
    reason: Annotated[str, text(500)] | None = None

    def to_request(self, shift_id: UUID) -> ChangeShiftRequest:
        return ChangeShiftRequest(
            shift_id=shift_id, target=ShiftState.CLOSED, force=self.force, reason=self.reason
        )


class _ShiftFields(msgspec.Struct, frozen=True, kw_only=True):
    """What a shift's views show first, in this order."""

    id: UUID
    truck_id: UUID
    location_id: UUID
    state: ShiftState
    opened_at: UtcDateTime
    opened_by: ActorView
    closed_at: UtcDateTime | None


class ShiftView(_ShiftFields, frozen=True, kw_only=True):
    """A shift: its truck and location, its state, who opened it and when."""

    @classmethod
    def of(cls, shift: Shift) -> Self:
        return cls(
            id=shift.id,
            truck_id=shift.truck_id,
            location_id=shift.location_id,
            state=shift.state,
            opened_at=shift.opened_at,
            opened_by=ActorView.of(shift.opened_by),
            closed_at=shift.closed_at,
        )


class ShiftTransitionView(msgspec.Struct, frozen=True, kw_only=True):
    """One history row; ``from`` is null for the check-in."""

    source: ShiftState | None = msgspec.field(name="from")
    target: ShiftState = msgspec.field(name="to")
    at: UtcDateTime
    actor: ActorView
    reason: str | None

    @classmethod
    def of(cls, transition: ShiftTransition) -> ShiftTransitionView:
        return cls(
            source=transition.source,
            target=transition.target,
            at=transition.at,
            actor=ActorView.of(transition.actor),
            reason=transition.reason,
        )


class ShiftDetailsView(_ShiftFields, frozen=True, kw_only=True):
    """A shift with its history, oldest first. ``last_seq`` is the number of its latest
    event: a client following the event stream resumes after it."""

    last_seq: int
    history: list[ShiftTransitionView]

    @classmethod
    def of(cls, details: ShiftDetails) -> ShiftDetailsView:
        return cls(
            **msgspec.structs.asdict(ShiftView.of(details.shift)),
            last_seq=details.last_seq,
            history=[ShiftTransitionView.of(t) for t in details.history],
        )
