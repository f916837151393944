from __future__ import annotations

from uuid import UUID

from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.reviews import Review, TruckRatings
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.unit_of_work import UnitOfWork


class ListTruckReviews:
    """A truck's reviews, newest first, hidden ones included (with who hid them and why),
    and its ratings over the visible ones.

    Rules: managers of the truck, owners and admins; another truck's are 404; crew and
    devices 403.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, principal: Principal, truck_id: UUID, page: PageRequest
    ) -> tuple[Page[Review], TruckRatings]:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        require_staff(principal, Role.MANAGER)
        async with self._uow as uow:
            await require_truck_exists(uow, truck_id)
            return await uow.reviews.list_for_truck(truck_id, page), await uow.reviews.ratings(
                truck_id
            )
