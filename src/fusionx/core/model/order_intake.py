"""What an order needs of its shift before anything is held, read at once."""

from __future__ import annotations

import msgspec

from fusionx.core.model.capacity import CapacityLimits, CapacitySetting, KitchenLoad
from fusionx.core.model.menu import MenuExcerpt
from fusionx.core.model.shifts import Shift


class OrderIntake(msgspec.Struct, frozen=True, kw_only=True):
    """The shift; the menu excerpt of the ordered items at its truck and location; the
    capacity setting in force (the shift's own, else its truck's, else None); and the
    kitchen's load, for the promised ready time."""

    shift: Shift
    menu: MenuExcerpt
    setting: CapacitySetting | None
    load: KitchenLoad

    @property
    def limits(self) -> CapacityLimits:
        return self.setting.limits if self.setting else CapacityLimits()
