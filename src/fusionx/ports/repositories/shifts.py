from __future__ import annotations

from collections.abc import Collection
from typing import Protocol
from uuid import UUID

from fusionx.core.model.order_intake import OrderIntake
from fusionx.core.model.shifts import Shift, ShiftTransition


class ShiftRepository(Protocol):
    """Shifts and their history.

    At most one shift per truck is not closed: ``add`` of a second raises
    ``UniqueViolation("truck_id")``, also when two check-ins race.
    """

    async def add(self, shift: Shift) -> None: ...

    async def get(self, shift_id: UUID) -> Shift | None: ...

    async def order_intake(self, shift_id: UUID, item_ids: Collection[UUID]) -> OrderIntake | None:
        """The shift and what an order of ``item_ids`` needs of it before anything is
        held (``OrderIntake``), in one read: one statement on PostgreSQL. Nothing is
        held. ``None`` when there is no such shift."""
        ...

    async def get_for_update(self, shift_id: UUID) -> Shift | None:
        """Like ``get``, and no other unit of work changes the shift until this one ends."""
        ...

    async def open_for_truck(self, truck_id: UUID) -> Shift | None:
        """The truck's shift that is not closed, if any."""
        ...

    async def update(self, shift: Shift) -> None: ...

    async def add_transition(self, transition: ShiftTransition) -> None: ...

    async def history(self, shift_id: UUID) -> list[ShiftTransition]:
        """Oldest first."""
        ...

    async def next_order_number(self, shift_id: UUID) -> int:
        """1, 2, 3… per shift; numbers taken by a rolled-back unit are reused."""
        ...

    async def hold_for_order(self, shift_id: UUID) -> tuple[Shift, int] | None:
        """``get_for_update`` and ``next_order_number`` at once (one round trip): the
        shift, held until the unit ends, and the number taken. The number is taken
        whatever the shift's state: a caller that refuses the order must not commit.
        ``None`` when there is no such shift."""
        ...
