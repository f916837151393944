from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.orders import Order


class OrderRepository(Protocol):
    async def add(self, order: Order) -> None: ...

    async def get(self, order_id: UUID) -> Order | None: ...

    async def get_for_update(self, order_id: UUID) -> Order | None:
        """Like ``get``, and no other unit of work locks the order until this one ends."""
        ...
