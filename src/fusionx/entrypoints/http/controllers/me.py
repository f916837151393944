from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.params import JSONBody

from fusionx.core.model.principals import DevicePrincipal
from fusionx.core.rules.devices import health
from fusionx.core.use_cases.commands.change_password import ChangePassword
from fusionx.core.use_cases.commands.change_profile import ChangeProfile
from fusionx.core.use_cases.commands.request_email_change import RequestEmailChange
from fusionx.core.use_cases.queries.view_profile import ViewProfile
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.credential_routes import carries_secrets
from fusionx.entrypoints.http.dependencies import AppAdapters, Languages, UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.me import (
    DeviceMe,
    EmailChangeBody,
    Me,
    PasswordChangeBody,
    ProfilePatch,
    StaffMe,
)


class MeController(Controller):
    path = "/api/v1/me"
    tags = ("auth",)
    security = BEARER

    @get(
        operation_id="getMe",
        summary="Who the credential belongs to: a staff member or a device",
        responses=problem_responses(401),
    )
    async def get_me(
        self,
        principal: CurrentPrincipal,
        view_profile: UseCase[ViewProfile],
        adapters: AppAdapters,
    ) -> Me:
        if isinstance(principal, DevicePrincipal):
            device = principal.device
            return DeviceMe.of(
                device, health(device, adapters.clock.now(), adapters.device_stale_after)
            )
        return StaffMe.of_profile(await view_profile.execute(principal))

    @patch(
        operation_id="updateMe",
        summary="Change your name, phone, language and notification channels per alert kind",
        responses=problem_responses(400, 401, 403, 413, 422),
    )
    async def update_me(
        self,
        data: JSONBody[ProfilePatch],
        principal: CurrentPrincipal,
        change_profile: UseCase[ChangeProfile],
    ) -> StaffMe:
        profile = await change_profile.execute(principal, data.to_changes())
        return StaffMe.of_profile(profile)

    @post(
        "/password",
        operation_id="changeMyPassword",
        summary="Change your password (the current one is required); other sessions end",
        status_code=204,
        responses=problem_responses(400, 401, 403, 413, 422),
        opt=carries_secrets(password_in_body=True),
    )
    async def change_password(
        self,
        data: JSONBody[PasswordChangeBody],
        principal: CurrentPrincipal,
        change_password: UseCase[ChangePassword],
    ) -> None:
        await change_password.execute(principal, data.to_request())

    @post(
        "/email",
        operation_id="changeMyEmail",
        summary="Move your account to another email address, confirmed by a link sent there",
        description="Nothing changes until the link is used (POST /api/v1/auth/email/confirm). "
        "503 when email is not configured; 502 when the mail server refused the message.",
        status_code=202,
        responses=problem_responses(400, 401, 403, 409, 413, 422, 502, 503),
        opt=carries_secrets(password_in_body=True),
    )
    async def change_email(
        self,
        data: JSONBody[EmailChangeBody],
        principal: CurrentPrincipal,
        languages: Languages,
        request_email_change: UseCase[RequestEmailChange],
    ) -> None:
        await request_email_change.execute(principal, data.to_request(languages))
