"""Signing in and out of the pages, through the login and logout use cases."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from fusionx.core.errors import InvalidCredentials, TooManyAttempts
from fusionx.core.messages import Message
from fusionx.core.rules.validation import MAX_PASSWORD_LENGTH
from fusionx.core.use_cases.commands.log_in import LogIn, LogInRequest
from fusionx.core.use_cases.commands.log_out import LogOut
from fusionx.entrypoints.http.dependencies import ClientAddress, UseCase, UserAgent
from fusionx.entrypoints.web.access import PageAccess, page
from fusionx.entrypoints.web.session import (
    HOME_PATH,
    SIGN_IN_PATH,
    SignedIn,
    ended_session_cookie,
    session_cookie,
)
from fusionx.entrypoints.web.settings import CookiePolicy


class SignInForm(msgspec.Struct, frozen=True, kw_only=True):
    # Empty is a failed sign-in like any other, shown on the form, not a 400.
    email: Annotated[str, msgspec.Meta(max_length=254)] = ""
    password: Annotated[str, msgspec.Meta(max_length=MAX_PASSWORD_LENGTH)] = ""


Form = Annotated[SignInForm, Body(media_type=RequestEncodingType.URL_ENCODED)]


class SignInController(Controller):
    path = SIGN_IN_PATH

    @get(operation_id="showSignInPage", opt=page(PageAccess.PUBLIC))
    async def show(self) -> Template:
        return Template("sign_in.html", context={"email": "", "problem": None})

    @post(operation_id="signInPage", opt=page(PageAccess.PUBLIC))
    async def sign_in(
        self,
        data: Form,
        client_address: ClientAddress,
        user_agent: UserAgent,
        log_in: UseCase[LogIn],
        cookie_policy: CookiePolicy,
    ) -> Redirect | Template:
        request = LogInRequest(
            email=data.email,
            password=data.password,
            client_address=client_address,
            user_agent=user_agent,
        )
        try:
            signed_in = await log_in.execute(request)
        except InvalidCredentials as error:
            return _refused(data.email, error.detail, 401)
        except TooManyAttempts as error:
            seconds = error.retry_after_seconds
            problem = Message("problem.retry_in", {"reason": error.detail, "count": seconds})
            return _refused(data.email, problem, 429)
        cookie = session_cookie(signed_in.token, signed_in.expires_at, secure=cookie_policy.secure)
        return Redirect(HOME_PATH, status_code=303, cookies=[cookie])


class SignOutController(Controller):
    path = f"{HOME_PATH}/sign-out"

    @post(operation_id="signOutPage", opt=page(PageAccess.STAFF))
    async def sign_out(
        self, staff: SignedIn, log_out: UseCase[LogOut], cookie_policy: CookiePolicy
    ) -> Redirect:
        await log_out.execute(staff)
        ended = ended_session_cookie(secure=cookie_policy.secure)
        return Redirect(SIGN_IN_PATH, status_code=303, cookies=[ended])


def _refused(email: str, problem: Message, status: int) -> Template:
    context = {"email": email, "problem": problem}
    return Template("sign_in.html", context=context, status_code=status)
