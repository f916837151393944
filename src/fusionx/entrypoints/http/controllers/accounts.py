from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from fusionx.core.use_cases.commands.accept_invitation import AcceptInvitation
from fusionx.core.use_cases.commands.confirm_email_change import ConfirmEmailChange
from fusionx.core.use_cases.commands.request_password_reset import RequestPasswordReset
from fusionx.core.use_cases.commands.reset_password import ResetPassword
from fusionx.entrypoints.http.credential_routes import REPLAY_NOTE, carries_secrets
from fusionx.entrypoints.http.dependencies import (
    AppAdapters,
    ClientAddress,
    Languages,
    UseCase,
)
from fusionx.entrypoints.http.openapi import problem_responses
from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
from fusionx.entrypoints.http.schemas.accounts import (
    EmailConfirmBody,
    InvitationAcceptBody,
    PasswordResetAccepted,
    PasswordResetBody,
    PasswordResetConfirmBody,
)
from fusionx.entrypoints.http.schemas.auth import LoginView


class AccountLinksController(Controller):
    """What the links in account emails lead to: public, the token is the credential."""

    path = "/api/v1/auth"
    tags = ("auth",)
    # Anyone may call these: held to the per-address limit like every public route (a
    # reset request is also throttled per email, and a link's secret cannot be guessed).
    opt = dict(PUBLIC_RATE_LIMIT)  # noqa: RUF012 - Controller declares it per instance

    @post(
        "/password-reset",
        operation_id="requestPasswordReset",
        summary="Email a single-use link to choose a new password",
        description="Always 202 with the same body, known email or not, in the same time. "
        "Repeated requests are throttled with 429 and Retry-After.",
        status_code=202,
        responses=problem_responses(400, 413, 422, 429, 503),
    )
    async def request_reset(
        self,
        data: JSONBody[PasswordResetBody],
        client_address: ClientAddress,
        languages: Languages,
        adapters: AppAdapters,
        request_password_reset: UseCase[RequestPasswordReset],
    ) -> PasswordResetAccepted:
        await request_password_reset.execute(data.to_request(client_address, languages))
        return PasswordResetAccepted.always(adapters.translator, languages)

    @post(
        "/password-reset/confirm",
        operation_id="resetPassword",
        summary="Choose a new password with a reset link's token; every session ends",
        status_code=204,
        responses=problem_responses(400, 413, 422, 429, 503),
        opt=carries_secrets(password_in_body=True),
    )
    async def reset(
        self, data: JSONBody[PasswordResetConfirmBody], reset_password: UseCase[ResetPassword]
    ) -> None:
        await reset_password.execute(data.to_request())

    @post(
        "/invitations/accept",
        operation_id="acceptInvitation",
        summary="Accept an invitation: choose your password, and be signed in",
        description=REPLAY_NOTE,
        status_code=200,
        responses=problem_responses(400, 413, 422, 429, 503),
        opt=carries_secrets(
            reissue="Sign in with the password you chose for a new session token.",
            password_in_body=True,
        ),
    )
    async def accept(
        self, data: JSONBody[InvitationAcceptBody], accept_invitation: UseCase[AcceptInvitation]
    ) -> LoginView:
        return LoginView.of(await accept_invitation.execute(data.to_request()))

    @post(
        "/email/confirm",
        operation_id="confirmEmailChange",
        summary="Confirm a new email address with the token sent to it",
        status_code=204,
        responses=problem_responses(400, 409, 413, 422, 429, 503),
    )
    async def confirm_email(
        self, data: JSONBody[EmailConfirmBody], confirm_email_change: UseCase[ConfirmEmailChange]
    ) -> None:
        await confirm_email_change.execute(data.to_request())
