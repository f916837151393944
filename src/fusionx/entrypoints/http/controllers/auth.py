from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from fusionx.core.use_cases.commands.log_in import LogIn
from fusionx.core.use_cases.commands.log_out import LogOut
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.credential_routes import REPLAY_NOTE, carries_secrets
from fusionx.entrypoints.http.dependencies import ClientAddress, UseCase, UserAgent
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.auth import LoginBody, LoginView


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ("auth",)

    @post(
        "/login",
        operation_id="logIn",
        summary="Sign in with email and password",
        description="Wrong email and wrong password get the same 401. "
        "Repeated failures are throttled with 429 and Retry-After. " + REPLAY_NOTE,
        status_code=200,
        responses=problem_responses(400, 401, 409, 413, 422, 429),
        opt=carries_secrets(
            reissue="Sign in again without this key for a new session token.",
            password_in_body=True,
        ),
    )
    async def log_in(
        self,
        data: JSONBody[LoginBody],
        client_address: ClientAddress,
        user_agent: UserAgent,
        log_in: UseCase[LogIn],
    ) -> LoginView:
        return LoginView.of(await log_in.execute(data.to_request(client_address, user_agent)))

    @post(
        "/logout",
        operation_id="logOut",
        summary="Revoke the credential used for this request",
        status_code=204,
        security=BEARER,
        responses=problem_responses(401),
    )
    async def log_out(self, principal: CurrentPrincipal, log_out: UseCase[LogOut]) -> None:
        await log_out.execute(principal)
