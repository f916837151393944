from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.menu import MenuItem
from fusionx.core.model.principals import Principal
from fusionx.core.rules.alerts import DEFAULT_LOW_STOCK_THRESHOLD
from fusionx.core.use_cases.steps.shift_menu import compose_shift_menu
from fusionx.core.use_cases.steps.shift_scope import shift_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class StockLine(msgspec.Struct, frozen=True, kw_only=True):
    """An item of the shift's menu with what is on hand and the low-stock threshold in
    force for it this shift."""

    item: MenuItem
    on_hand: int
    threshold: int

    @property
    def sold_out(self) -> bool:
        return self.on_hand <= 0

    @property
    def low(self) -> bool:
        """At or below its threshold with some left (the low-stock alert's rule)."""
        return 0 < self.on_hand <= self.threshold


class ShiftStock(msgspec.Struct, frozen=True, kw_only=True):
    shift_id: UUID
    lines: tuple[StockLine, ...]


class ViewShiftStock:
    """A shift's stock as its staff watch it: every item of the shift's menu in menu
    order, with what is on hand and whether it is low or sold out.

    Rules:
    - staff and devices of the shift's truck, admins and owners; others get 404;
    - the threshold in force is the shift's own, else the item's default, else the
      fleet's (``DEFAULT_LOW_STOCK_THRESHOLD``), as for the low-stock alert;
    - an item is low at or below its threshold while some is left; at zero it is sold
      out (86'd), not low.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, shift_id: UUID) -> ShiftStock:
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            menu = await compose_shift_menu(uow, shift, self._clock.now())
            entries = [entry for section in menu.sections for entry in section.entries]
            thresholds = await uow.stock_thresholds.for_shift(
                shift.id, {entry.item.id for entry in entries}
            )
        return ShiftStock(
            shift_id=shift.id,
            lines=tuple(
                StockLine(
                    item=entry.item,
                    on_hand=entry.on_hand,
                    threshold=_in_force(thresholds.get(entry.item.id)),
                )
                for entry in entries
            ),
        )


def _in_force(threshold: int | None) -> int:
    return DEFAULT_LOW_STOCK_THRESHOLD if threshold is None else threshold
