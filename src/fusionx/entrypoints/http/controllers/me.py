from __future__ import annotations

from litestar import Controller, get

from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.me import Me, me_of


class MeController(Controller):
    path = "/api/v1/me"
    tags = ("auth",)
    security = BEARER

    @get(
        operation_id="getMe",
        summary="Who the credential belongs to: a staff member or a device",
        responses=problem_responses(401),
    )
    async def get_me(self, principal: CurrentPrincipal) -> Me:
        return me_of(principal)
