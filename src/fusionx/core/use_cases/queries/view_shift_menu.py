from __future__ import annotations

from uuid import UUID

from fusionx.core.model.principals import Principal
from fusionx.core.use_cases.steps.shift_menu import ShiftMenu, compose_shift_menu
from fusionx.core.use_cases.steps.shift_scope import shift_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ViewShiftMenu:
    """The menu of a shift as its staff and devices see it now.

    Categories and items in display order: the fleet's and the truck's own, narrowed to
    the truck's selection at its prices, and this shift's specials. An item with no
    stock recorded this shift has none (sold out); one outside its (or its category's)
    availability windows, in the location's time zone, is not available and says when
    it next is.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, shift_id: UUID) -> ShiftMenu:
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            return await compose_shift_menu(uow, shift, self._clock.now())
