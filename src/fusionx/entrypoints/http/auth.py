"""Bearer authentication: the ``principal`` dependency.

A handler that takes ``principal: CurrentPrincipal`` is authenticated; one that does not
is public. Who may do what is decided in the core (``core/rules/access.py``), not here.

Only staff and device credentials are accepted here: a customer's credential is refused
with 403 (``Authenticate.execute``) before anything is looked up, and no customer or
guest principal is ever left in the request scope for a fleet handler. The customer's
own routes authenticate in ``customer_principal``.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import SkipValidation
from litestar.types import Scope

from fusionx.core.errors import AuthenticationRequired
from fusionx.core.messages import Message
from fusionx.core.model.principals import DevicePrincipal, OperatorPrincipal, StaffPrincipal
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.http.dependencies import AppAdapters

_PRINCIPAL_KEY = "fusionx.principal"

# Built by `provide_principal`, not decoded from the request: nothing to validate.
CurrentPrincipal = NamedDependency[SkipValidation[OperatorPrincipal]]


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of an ``Authorization: Bearer <secret>`` header, else None."""
    scheme, _, secret = (authorization or "").partition(" ")
    secret = secret.strip()
    return secret if scheme.lower() == "bearer" and secret else None


def remember_principal(scope: Any, principal: OperatorPrincipal) -> None:
    """Keep a principal authenticated before routing (see ``idempotency``) for the handler."""
    scope.setdefault("state", {})[_PRINCIPAL_KEY] = principal


def authenticated_principal(scope: Any) -> OperatorPrincipal | None:
    principal = scope.get("state", {}).get(_PRINCIPAL_KEY)
    return principal if isinstance(principal, StaffPrincipal | DevicePrincipal) else None


def provide_principal(scope: Scope, adapters: AppAdapters) -> OperatorPrincipal | None:
    """The caller ``authenticate_first`` authenticated before the handler; None where the
    handler is public (its use cases ask for the principal only to be built after it).

    ``adapters`` is asked for only to be resolved first: see ``dependencies``.
    """
    del adapters
    principal = authenticated_principal(scope)
    if principal is None and _declares_principal(scope["route_handler"]):
        raise AuthenticationRequired(Message("auth.bearer_required"))
    return principal


def _declares_principal(handler: Any) -> bool:
    return "principal" in handler.parsed_fn_signature.parameters


async def authenticate_first(request: Request[Any, Any, Any], adapters: AppAdapters) -> None:
    """Authenticate an authenticated handler's caller before anything else is checked:
    without a credential, a request learns nothing of what is wrong with its inputs."""
    if not _declares_principal(request.route_handler) or authenticated_principal(request.scope):
        return  # public, or authenticated already for its Idempotency-Key
    secret = bearer_secret(request.headers.get("authorization"))
    if secret is None:
        raise AuthenticationRequired(Message("auth.bearer_required"))
    principal = await use_cases.authenticate(adapters).execute(secret)
    # A session's "last seen": a write at most every few minutes per session, not per request.
    await use_cases.note_session_activity(adapters).execute(principal)
    remember_principal(request.scope, principal)
