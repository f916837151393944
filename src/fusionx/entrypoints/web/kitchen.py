"""Who is at the kitchen board: a paired device, or a signed-in staff member.

A tablet paired by code (``PairDevice``) keeps its device credential in the cookie
``fusionx_device``: ``HttpOnly``, ``SameSite=Lax``, ``Path=/app``, ``Secure`` over TLS,
kept 400 days (the longest a browser keeps a cookie; the credential itself does not
expire: revoking the device ends it). The credential is never shown, never in a URL, and
the access log logs no header. Without a device cookie, the staff session
(``session.py``) opens the board of the member's trucks. Without either, a ``KITCHEN``
page redirects to the pairing form.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import SkipValidation
from litestar.response import Redirect

from fusionx.core.errors import AuthenticationRequired, PermissionDenied
from fusionx.core.model.principals import OperatorPrincipal
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.dependencies import AppAdapters
from fusionx.entrypoints.web.csrf import PAGES_PATH
from fusionx.entrypoints.web.session import SESSION_COOKIE

DEVICE_COOKIE = "fusionx_device"
PAIR_PATH = f"{PAGES_PATH}/board/pair"
BOARD_PATH = f"{PAGES_PATH}/board"
_KEPT = timedelta(days=400)

# The device or staff member at the board (see ``provide_at_board``).
AtBoard = NamedDependency[SkipValidation[OperatorPrincipal]]


class PairingRequired(Exception):
    """No usable device or staff cookie: the board answers with the pairing form."""


def device_cookie(credential: str, *, secure: bool) -> Cookie:
    return Cookie(
        key=DEVICE_COOKIE,
        value=credential,
        path=PAGES_PATH,
        max_age=int(_KEPT.total_seconds()),
        httponly=True,
        secure=secure,
        samesite="lax",
    )


def board_secret(cookies: dict[str, str]) -> str | None:
    """The credential the board acts with: the device's, else the staff session's."""
    return cookies.get(DEVICE_COOKIE) or cookies.get(SESSION_COOKIE) or None


async def board_principal(adapters: Adapters, secret: str | None) -> OperatorPrincipal:
    if not secret:
        raise PairingRequired
    try:
        return await use_cases.authenticate(adapters).execute(secret)
    except (AuthenticationRequired, PermissionDenied):  # PermissionDenied: a customer's
        raise PairingRequired from None


async def provide_at_board(
    request: Request[Any, Any, Any], adapters: AppAdapters
) -> OperatorPrincipal:
    """The ``at_board`` dependency."""
    return await board_principal(adapters, board_secret(request.cookies))


def redirect_to_pairing(_: Request[Any, Any, Any], __: PairingRequired) -> Redirect:
    return Redirect(PAIR_PATH, status_code=303)
