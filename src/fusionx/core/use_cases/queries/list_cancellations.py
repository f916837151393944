from __future__ import annotations

from uuid import UUID

from fusionx.core.model.cancellations import Cancellation
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_staff
from fusionx.core.use_cases.steps.shift_scope import shift_in_scope
from fusionx.ports.unit_of_work import UnitOfWork


class ListCancellations:
    """A shift's cancelled orders, oldest first: who, when, why, from which state, what
    they came to and whether their stock went back. Staff of the shift's truck only."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, principal: Principal, shift_id: UUID, page: PageRequest
    ) -> Page[Cancellation]:
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            require_staff(principal)
            return await uow.cancellations.for_shift(shift.id, page)
