from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get
from litestar.params import FromPath

from fusionx.core.use_cases.commands.revoke_session import RevokeSession
from fusionx.core.use_cases.queries.list_sessions import ListSessions
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.sessions import SessionPage


class MySessionsController(Controller):
    path = "/api/v1/me/sessions"
    tags = ("auth",)
    security = BEARER

    @get(
        operation_id="listMySessions",
        summary="Your signed-in sessions, newest first: device, address, last seen",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def list_mine(
        self, principal: CurrentPrincipal, list_sessions: UseCase[ListSessions], page: Paging
    ) -> SessionPage:
        return SessionPage.of(await list_sessions.mine(principal, page))

    @delete(
        "/{session_id:uuid}",
        operation_id="revokeMySession",
        summary="End one of your sessions: it stops at once, its streams close",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def revoke_mine(
        self,
        session_id: FromPath[UUID],
        principal: CurrentPrincipal,
        revoke_session: UseCase[RevokeSession],
    ) -> None:
        await revoke_session.mine(principal, session_id)


class StaffSessionsController(Controller):
    path = "/api/v1/staff/{staff_id:uuid}/sessions"
    tags = ("staff",)
    security = BEARER

    @get(
        operation_id="listStaffSessions",
        summary="A staff member's signed-in sessions (owners: anyone's; admins: but owners')",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def list_theirs(
        self,
        staff_id: FromPath[UUID],
        principal: CurrentPrincipal,
        list_sessions: UseCase[ListSessions],
        page: Paging,
    ) -> SessionPage:
        return SessionPage.of(await list_sessions.of(principal, staff_id, page))

    @delete(
        "/{session_id:uuid}",
        operation_id="revokeStaffSession",
        summary="End one of a staff member's sessions: it stops at once, its streams close",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def revoke_theirs(
        self,
        staff_id: FromPath[UUID],
        session_id: FromPath[UUID],
        principal: CurrentPrincipal,
        revoke_session: UseCase[RevokeSession],
    ) -> None:
        await revoke_session.of(principal, staff_id, session_id)
