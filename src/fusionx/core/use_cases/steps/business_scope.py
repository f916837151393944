"""Which trucks a reader of the fleet's business (books, analytics) asked for and may see."""

from __future__ import annotations

from uuid import UUID

from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import business_scope, require_truck_scope
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.unit_of_work import UnitOfWork


async def trucks_in_business_scope(
    uow: UnitOfWork, principal: Principal | None, truck_id: UUID | None
) -> frozenset[UUID] | None:
    """One truck (404 when out of the caller's scope, or unknown), else every truck the
    caller may see (None: the fleet); crew, devices and customers 403. No principal is
    the operator at the command line, who holds the database itself: the fleet."""
    trucks = None if principal is None else business_scope(principal)
    if truck_id is None:
        return trucks
    if principal is not None:
        require_truck_scope(principal, truck_id, "truck", truck_id)
    await require_truck_exists(uow, truck_id)
    return frozenset({truck_id})
