"""Customer bearer authentication: the customer side's ``customer`` dependency.

A handler that takes ``customer: SignedInCustomer`` is the customer's own: its caller
must hold a customer credential (``fxc_…``, from the one-time-code sign-in). Without one
it is 401; with a staff or device credential, 403 (the fleet's credentials open the
fleet's routes only, as a customer's opens none of them: ``auth``). The credential is
checked before anything else, by ``authenticate_customer_first`` (a ``before_request``
step), so a request without one learns nothing of its inputs. Authentication is one
read, like the staff side's (``Authenticate.customer``).

``provide_optional_customer`` serves routes anyone may call that a signed-in customer
calls as themselves (checkout): None for an anonymous caller, the customer for a
customer credential, 401 for a credential that does not work.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import SkipValidation
from litestar.types import Scope

from fusionx.core.errors import AuthenticationRequired, PermissionDenied
from fusionx.core.messages import Message
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.auth import bearer_secret
from fusionx.entrypoints.http.dependencies import AppAdapters

_CUSTOMER_KEY = "fusionx.customer"
PARAMETER = "customer"

# Built by ``provide_customer``, not decoded from the request: nothing to validate.
SignedInCustomer = NamedDependency[SkipValidation[CustomerPrincipal]]


def _declares_customer(handler: Any) -> bool:
    return PARAMETER in handler.parsed_fn_signature.parameters


async def _authenticate(adapters: Adapters, authorization: str | None) -> CustomerPrincipal:
    secret = bearer_secret(authorization)
    if secret is None:
        raise AuthenticationRequired(Message("auth.bearer_required"))
    return await use_cases.authenticate(adapters).customer(secret)


async def authenticate_customer_first(request: Request[Any, Any, Any], adapters: Adapters) -> None:
    """Authenticate a customer handler's caller before its inputs are looked at."""
    if not _declares_customer(request.route_handler):
        return
    customer = await _authenticate(adapters, request.headers.get("authorization"))
    request.scope.setdefault("state", {})[_CUSTOMER_KEY] = customer


def provide_customer(scope: Scope, adapters: AppAdapters) -> CustomerPrincipal:
    """The ``customer`` dependency: the caller ``authenticate_customer_first`` found.

    ``adapters`` is asked for only to be resolved first, as ``auth.provide_principal``."""
    del adapters
    customer = scope.get("state", {}).get(_CUSTOMER_KEY)
    if not isinstance(customer, CustomerPrincipal):  # pragma: no cover - the hook ran first
        raise AuthenticationRequired(Message("auth.bearer_required"))
    return customer


async def provide_optional_customer(
    request: Request[Any, Any, Any], adapters: AppAdapters
) -> CustomerPrincipal | None:
    """The signed-in customer calling a public route, or None for anyone else.

    No ``Authorization`` header: None (an anonymous guest). A customer credential: the
    customer. A credential that does not work (unknown, expired, revoked, or of a closed
    account): 401, so a client whose sign-in ended knows it, rather than quietly
    checking out as a guest. A staff or device credential: None, as it names no customer
    account (a staff member ordering for themselves is a guest)."""
    authorization = request.headers.get("authorization")
    if authorization is None:
        return None
    try:
        return await _authenticate(adapters, authorization)
    except PermissionDenied:
        return None
