"""Customer accounts, their sign-in codes and their loyalty ledger, in memory.

Units of work run one at a time (the store's write lock): that is what makes a code's
``consume`` single-use and a ledger key recorded once here.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.customers import Customer
from fusionx.core.model.loyalty import LoyaltyEntry
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.sign_in_codes import SignInCode
from fusionx.ports.errors import UniqueViolation


class InMemoryCustomerRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.customers

    async def add(self, customer: Customer) -> None:
        for other in self._rows.values():
            if customer.email is not None and other.email == customer.email:
                raise UniqueViolation("email")
            if customer.phone is not None and other.phone == customer.phone:
                raise UniqueViolation("phone")
        self._rows[customer.id] = customer

    async def get(self, customer_id: UUID) -> Customer | None:
        return self._rows.get(customer_id)

    async def get_for_update(self, customer_id: UUID) -> Customer | None:
        return self._rows.get(customer_id)  # units of work already run one at a time

    async def by_email(self, email: str) -> Customer | None:
        return next((c for c in self._rows.values() if c.email == email), None)

    async def by_phone(self, phone: str) -> Customer | None:
        return next((c for c in self._rows.values() if c.phone == phone), None)

    async def save(self, customer: Customer) -> None:
        if customer.id in self._rows:
            self._rows[customer.id] = customer


class InMemorySignInCodeRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.sign_in_codes

    async def add(self, code: SignInCode) -> None:
        for other in list(self._rows.values()):
            if other.destination == code.destination and other.used_at is None:
                self._rows[other.id] = msgspec.structs.replace(other, used_at=code.created_at)
        self._rows[code.id] = code

    async def consume(self, destination: str, code_hash: str, now: datetime) -> SignInCode | None:
        code = next(
            (
                c
                for c in self._rows.values()
                if c.destination == destination and c.code_hash == code_hash
            ),
            None,
        )
        if code is None or not code.is_usable_at(now):
            return None
        used = msgspec.structs.replace(code, used_at=now)
        self._rows[code.id] = used
        return used

    async def count_miss(self, destination: str, now: datetime) -> None:
        for code in list(self._rows.values()):
            if code.destination == destination and code.is_usable_at(now):
                self._rows[code.id] = msgspec.structs.replace(code, attempts=code.attempts + 1)


class InMemoryLoyaltyLedger:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.loyalty

    async def record(self, entry: LoyaltyEntry) -> bool:
        if entry.key in self._rows:
            return False
        self._rows[entry.key] = entry
        return True

    async def balance(self, customer_id: UUID) -> int:
        return sum(e.points for e in self._rows.values() if e.customer_id == customer_id)

    async def for_order(self, order_id: UUID) -> list[LoyaltyEntry]:
        return [e for e in self._rows.values() if e.order_id == order_id]

    async def entries(self, customer_id: UUID, page: PageRequest) -> Page[LoyaltyEntry]:
        mine = [e for e in self._rows.values() if e.customer_id == customer_id]
        # Newest first; entries of the same time, the last recorded first.
        newest = sorted(enumerate(mine), key=lambda seen: (seen[1].at, seen[0]), reverse=True)
        return Page.of_list([entry for _, entry in newest], page)
