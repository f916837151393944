from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.customers import Customer


class CustomerRepository(Protocol):
    """Customer accounts. ``email`` and ``phone`` are each unique when present (stored
    normalised: ``core.model.customers``); ``add`` raises ``UniqueViolation`` naming the
    field another account holds."""

    async def add(self, customer: Customer) -> None: ...

    async def get(self, customer_id: UUID) -> Customer | None: ...

    async def get_for_update(self, customer_id: UUID) -> Customer | None:
        """Like ``get``, and no other unit of work changes the account (nor, through
        ``spend_points``, its balance) until this one ends."""
        ...

    async def by_email(self, email: str) -> Customer | None: ...

    async def by_phone(self, phone: str) -> Customer | None: ...

    async def save(self, customer: Customer) -> None:
        """Replace the stored account of ``customer.id`` (its name, locale, active)."""
        ...
