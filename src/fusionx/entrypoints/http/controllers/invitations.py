from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from fusionx.core.use_cases.commands.invite_staff import InviteStaff
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import Languages, UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.invitations import InvitationBody, InvitedStaffView


class StaffInvitationsController(Controller):
    path = "/api/v1/staff/invitations"
    tags = ("staff",)
    security = BEARER

    @post(
        operation_id="inviteStaff",
        summary="Invite someone by email: a pending account, and a link to choose a password",
        description="Owners invite anyone, admins anyone below owner, managers crew to their "
        "own trucks. 503 when email is not configured; 502 when the mail server refused the "
        "message (nothing was kept: invite again).",
        status_code=201,
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 502, 503),
    )
    async def invite(
        self,
        data: JSONBody[InvitationBody],
        principal: CurrentPrincipal,
        languages: Languages,
        invite_staff: UseCase[InviteStaff],
    ) -> InvitedStaffView:
        invited = await invite_staff.execute(principal, data.to_request(languages))
        return InvitedStaffView.of(invited)
