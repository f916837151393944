"""Staff sessions of the pages: the staff credential of a sign-in, in a cookie.

The cookie holds the session token the login use case issued (the same token the JSON
API takes as ``Authorization: Bearer``), so signing out revokes it as the API's logout
does, and the sessions list, expiry and revocation by a manager apply to it unchanged.
It is ``HttpOnly`` (no script reads it), ``SameSite=Lax``, ``Path=/app`` (never sent to
the API), ``Secure`` when the service is served over TLS, and expires with the token.
The token never appears in a URL, and the access log logs no header.

A page that takes ``staff: SignedIn`` needs a usable token in the cookie; without one
(absent, expired, revoked, a device's or a customer's) ``SignInRequired`` redirects
to the sign-in form.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import SkipValidation
from litestar.response import Redirect

from fusionx.core.errors import AuthenticationRequired, PermissionDenied
from fusionx.core.model.principals import StaffPrincipal
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.http.dependencies import AppAdapters
from fusionx.entrypoints.web.csrf import PAGES_PATH

SESSION_COOKIE = "fusionx_session"
SIGN_IN_PATH = f"{PAGES_PATH}/sign-in"
HOME_PATH = PAGES_PATH
_STATE_KEY = "fusionx.page_staff"

# The signed-in staff member of a page request (see ``provide_signed_in``).
SignedIn = NamedDependency[SkipValidation[StaffPrincipal]]


class SignInRequired(Exception):
    """No usable session: the page answers with a redirect to the sign-in form."""


def session_cookie(token: str, expires_at: datetime, *, secure: bool) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        path=PAGES_PATH,
        expires=int(expires_at.timestamp()),
        httponly=True,
        secure=secure,
        samesite="lax",
    )


def ended_session_cookie(*, secure: bool) -> Cookie:
    """The cookie's deletion: an empty value that expired already."""
    return Cookie(
        key=SESSION_COOKIE,
        value="",
        path=PAGES_PATH,
        max_age=0,
        httponly=True,
        secure=secure,
        samesite="lax",
    )


def signed_in_staff(scope: Any) -> StaffPrincipal | None:
    """The staff member ``provide_signed_in`` found for this request, if any."""
    staff = scope.get("state", {}).get(_STATE_KEY)
    return staff if isinstance(staff, StaffPrincipal) else None


async def provide_signed_in(
    request: Request[Any, Any, Any], adapters: AppAdapters
) -> StaffPrincipal:
    """The ``staff`` dependency: the staff member whose session token is in the cookie."""
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise SignInRequired
    try:
        principal = await use_cases.authenticate(adapters).execute(secret)
    except (AuthenticationRequired, PermissionDenied):  # PermissionDenied: a customer's
        raise SignInRequired from None
    if not isinstance(principal, StaffPrincipal):
        raise SignInRequired
    await use_cases.note_session_activity(adapters).execute(principal)
    request.scope.setdefault("state", {})[_STATE_KEY] = principal
    return principal


def redirect_to_sign_in(_: Request[Any, Any, Any], __: SignInRequired) -> Redirect:
    return Redirect(SIGN_IN_PATH, status_code=303)
