"""Inviting someone to the staff by email, and the pending account it makes."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from fusionx.core.model.staff import Role
from fusionx.core.rules.validation import EMAIL_INPUT_PATTERN
from fusionx.core.use_cases.commands.invite_staff import InviteStaffRequest
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import text
from fusionx.entrypoints.http.schemas.staff import StaffView


class InvitationBody(RequestBody, frozen=True, kw_only=True):
    email: Annotated[str, text(254, pattern=EMAIL_INPUT_PATTERN)]
    name: Annotated[str, text(200)]
    role: Role
    truck_ids: Annotated[list[UUID], msgspec.Meta(max_length=500)] = msgspec.field(
        default_factory=list
    )

    def to_request(self, languages: tuple[str, ...] = ()) -> InviteStaffRequest:
        return InviteStaffRequest(
            email=self.email,
            name=self.name,
            role=self.role,
            truck_ids=frozenset(self.truck_ids),
            languages=languages,
        )


class InvitedStaffView(StaffView, frozen=True, kw_only=True):
    """The pending account: ``active`` turns true when the invitee accepts."""
