from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.orders import Order, OrderState


class OrderRepository(Protocol):
    async def add(self, order: Order) -> None: ...

    async def get(self, order_id: UUID) -> Order | None: ...

    async def get_for_update(self, order_id: UUID) -> Order | None:
        """Like ``get``, and no other unit of work changes the order until this one ends."""
        ...

    async def set_state(self, order_id: UUID, state: OrderState) -> None: ...
