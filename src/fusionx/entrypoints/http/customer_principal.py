"""Who a customer-side request is from, when a customer signed in.

``provide_optional_customer`` is the Litestar dependency (named ``customer``) that the
public routes a signed-in customer may also call ask for: the ``CustomerPrincipal``
behind an ``Authorization: Bearer`` customer token, or None for an anonymous caller.
Customer accounts and their tokens are not built yet: every caller is a guest for now.
"""

from __future__ import annotations

from litestar.types import Scope

from fusionx.core.model.principals import CustomerPrincipal


async def provide_optional_customer(scope: Scope) -> CustomerPrincipal | None:
    """The signed-in customer making the request; None: a guest."""
    del scope
    return None
