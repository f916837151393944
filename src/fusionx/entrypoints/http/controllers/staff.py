from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.assign_staff_truck import AssignStaffTruck
from fusionx.core.use_cases.commands.change_staff_role import ChangeStaffRole
from fusionx.core.use_cases.commands.deactivate_staff import DeactivateStaff
from fusionx.core.use_cases.commands.reactivate_staff import ReactivateStaff
from fusionx.core.use_cases.commands.unassign_staff_truck import UnassignStaffTruck
from fusionx.core.use_cases.queries.list_staff import ListStaff, StaffSearch
from fusionx.core.use_cases.queries.view_staff_member import ViewStaffMember
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.staff import RoleBody, StaffPage, StaffView

_CHANGES = problem_responses(400, 401, 403, 404, 409)


class StaffController(Controller):
    path = "/api/v1/staff"
    tags = ("staff",)
    security = BEARER

    @get(
        operation_id="listStaff",
        summary="Search the staff by name or email, role, active or not and truck, by name",
        description="Owners and admins see everyone; managers the crew of their own trucks "
        "and themselves.",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def list_staff(
        self,
        *,
        principal: CurrentPrincipal,
        list_staff: UseCase[ListStaff],
        q: Annotated[
            str | None, QueryParameter(max_length=100, description="Text in name or email")
        ] = None,
        role: Annotated[Role | None, QueryParameter()] = None,
        active: Annotated[
            bool | None, QueryParameter(description="false: deactivated accounts only")
        ] = None,
        truck_id: Annotated[UUID | None, QueryParameter(description="Staff of this truck")] = None,
        page: Paging,
    ) -> StaffPage:
        search = StaffSearch(text=q, role=role, active=active, truck_id=truck_id)
        return StaffPage.of(await list_staff.execute(principal, search, page))

    @get(
        "/{staff_id:uuid}",
        operation_id="getStaffMember",
        summary="One staff member (a manager: their trucks' crew or themselves; else 404)",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def get_staff_member(
        self,
        staff_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_staff_member: UseCase[ViewStaffMember],
    ) -> StaffView:
        return StaffView.of(await view_staff_member.execute(principal, staff_id))

    @put(
        "/{staff_id:uuid}/role",
        operation_id="setStaffRole",
        summary="Give a staff member a role (owners: any; admins: below owner)",
        description="The last active owner cannot be demoted (409).",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def set_role(
        self,
        staff_id: FromPath[UUID],
        data: JSONBody[RoleBody],
        principal: CurrentPrincipal,
        change_staff_role: UseCase[ChangeStaffRole],
    ) -> StaffView:
        return StaffView.of(await change_staff_role.execute(principal, staff_id, data.role))

    @put(
        "/{staff_id:uuid}/trucks/{truck_id:uuid}",
        operation_id="assignStaffTruck",
        summary="Put a staff member on a truck (managers: crew, on their own trucks)",
        responses=_CHANGES,
    )
    async def assign_truck(
        self,
        staff_id: FromPath[UUID],
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        assign_staff_truck: UseCase[AssignStaffTruck],
    ) -> StaffView:
        return StaffView.of(await assign_staff_truck.execute(principal, staff_id, truck_id))

    @delete(
        "/{staff_id:uuid}/trucks/{truck_id:uuid}",
        operation_id="unassignStaffTruck",
        summary="Take a staff member off a truck (managers: crew, off their own trucks)",
        responses=_CHANGES,
    )
    async def unassign_truck(
        self,
        staff_id: FromPath[UUID],
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        unassign_staff_truck: UseCase[UnassignStaffTruck],
    ) -> None:
        await unassign_staff_truck.execute(principal, staff_id, truck_id)

    @post(
        "/{staff_id:uuid}/deactivate",
        operation_id="deactivateStaff",
        summary="Close an account: every session of theirs ends at once, streams included",
        description="The last active owner cannot be deactivated (409). Kitchen devices "
        "they registered keep working: a device's credential is its truck's.",
        status_code=200,
        responses=_CHANGES,
    )
    async def deactivate(
        self,
        staff_id: FromPath[UUID],
        principal: CurrentPrincipal,
        deactivate_staff: UseCase[DeactivateStaff],
    ) -> StaffView:
        return StaffView.of(await deactivate_staff.execute(principal, staff_id))

    @post(
        "/{staff_id:uuid}/reactivate",
        operation_id="reactivateStaff",
        summary="Open a deactivated account again; they sign in anew",
        status_code=200,
        responses=_CHANGES,
    )
    async def reactivate(
        self,
        staff_id: FromPath[UUID],
        principal: CurrentPrincipal,
        reactivate_staff: UseCase[ReactivateStaff],
    ) -> StaffView:
        return StaffView.of(await reactivate_staff.execute(principal, staff_id))
