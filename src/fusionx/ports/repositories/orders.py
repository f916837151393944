from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.orders import Order, OrderState
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.tickets import Ticket


class OrderRepository(Protocol):
    async def add(self, order: Order) -> None: ...

    async def add_with_ticket(self, order: Order, ticket: Ticket) -> None:
        """``add`` the order and ``TicketRepository.add`` its first ticket, at once (one
        round trip where the database allows)."""
        ...

    async def get(self, order_id: UUID) -> Order | None: ...

    async def get_for_update(self, order_id: UUID) -> Order | None:
        """Like ``get``, and no other unit of work changes the order until this one ends."""
        ...

    async def set_state(self, order_id: UUID, state: OrderState) -> None: ...

    async def set_promised_ready_at(self, order_id: UUID, at: datetime) -> None:
        """Record when the kitchen promised the order ready."""
        ...

    async def set_stock_held(self, order_id: UUID, *, held: bool) -> None:
        """Record whether the order holds its units (``steps.payment_holds``)."""
        ...

    async def lapsed_holds(self, created_before: datetime, limit: int) -> list[UUID]:
        """Orders awaiting payment that still hold stock and were created before
        ``created_before``, oldest first, at most ``limit``: the holds to give back."""
        ...

    async def of_customer(self, customer_id: UUID, page: PageRequest) -> Page[Order]:
        """The orders a customer account placed, the newest first (``created_at``, then
        id), with their count."""
        ...
