"""Customer accounts, their sign-in codes and their loyalty ledger, on both dialects."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import entity_from, plain_uuid, row_values
from fusionx.adapters.sql.tables import CustomerRow, LoyaltyEntryRow, SignInCodeRow
from fusionx.core.model.customers import Customer
from fusionx.core.model.loyalty import EntryKind, LoyaltyEntry
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.sign_in_codes import MAX_ATTEMPTS, SignInCode
from fusionx.ports.errors import UniqueViolation

_CUSTOMER = (
    CustomerRow.id,
    CustomerRow.created_at,
    CustomerRow.email,
    CustomerRow.phone,
    CustomerRow.name,
    CustomerRow.locale,
    CustomerRow.active,
)
_CODE = (
    SignInCodeRow.id,
    SignInCodeRow.destination,
    SignInCodeRow.code_hash,
    SignInCodeRow.created_at,
    SignInCodeRow.expires_at,
    SignInCodeRow.attempts,
    SignInCodeRow.used_at,
    SignInCodeRow.locale,
)
_ENTRY = (
    LoyaltyEntryRow.id,
    LoyaltyEntryRow.key,
    LoyaltyEntryRow.customer_id,
    LoyaltyEntryRow.order_id,
    LoyaltyEntryRow.kind,
    LoyaltyEntryRow.points,
    LoyaltyEntryRow.at,
    LoyaltyEntryRow.refund_id,
)


def customer_from(row: Any) -> Customer:
    return entity_from(Customer, row, id=plain_uuid(row.id))


def _entry_from(row: Any) -> LoyaltyEntry:
    return entity_from(
        LoyaltyEntry,
        row,
        id=plain_uuid(row.id),
        customer_id=plain_uuid(row.customer_id),
        order_id=plain_uuid(row.order_id),
        kind=EntryKind(row.kind),
        refund_id=None if row.refund_id is None else plain_uuid(row.refund_id),
    )


class SqlCustomerRepository:
    """``CustomerRepository`` on ``customers``; ``get_for_update`` is FOR UPDATE on
    PostgreSQL (SQLite's BEGIN IMMEDIATE serializes writers already)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, customer: Customer) -> None:
        async with unique_writes(self._session):
            await self._session.execute(insert(CustomerRow).values(row_values(customer)))

    async def get(self, customer_id: UUID) -> Customer | None:
        return await self._one(CustomerRow.id == customer_id)

    async def get_for_update(self, customer_id: UUID) -> Customer | None:
        return await self._one(CustomerRow.id == customer_id, for_update=True)

    async def by_email(self, email: str) -> Customer | None:
        return await self._one(CustomerRow.email == email)

    async def by_phone(self, phone: str) -> Customer | None:
        return await self._one(CustomerRow.phone == phone)

    async def save(self, customer: Customer) -> None:
        await self._session.execute(
            update(CustomerRow)
            .where(CustomerRow.id == customer.id)
            .values(name=customer.name, locale=customer.locale, active=customer.active)
        )

    async def _one(self, condition: Any, *, for_update: bool = False) -> Customer | None:
        statement = select(*_CUSTOMER).where(condition)
        if for_update:
            statement = statement.with_for_update()
        row = (await self._session.execute(statement)).first()
        return None if row is None else customer_from(row)


class SqlSignInCodeRepository:
    """``SignInCodeRepository`` on ``sign_in_codes``.

    ``consume`` and ``count_miss`` are each one guarded UPDATE: on PostgreSQL a racing
    second UPDATE waits for the first's row lock and, once it commits, re-reads the row
    and matches nothing (used) or counts on top (a miss); SQLite runs one writer at a time.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, code: SignInCode) -> None:
        await self._session.execute(
            update(SignInCodeRow)
            .where(
                SignInCodeRow.destination == code.destination,
                SignInCodeRow.used_at.is_(None),
            )
            .values(used_at=code.created_at)
        )
        await self._session.execute(insert(SignInCodeRow).values(row_values(code)))

    async def consume(self, destination: str, code_hash: str, now: datetime) -> SignInCode | None:
        result = await self._session.execute(
            update(SignInCodeRow)
            .where(
                SignInCodeRow.destination == destination,
                SignInCodeRow.code_hash == code_hash,
                *self._live(now),
            )
            .values(used_at=now)
            .returning(*_CODE)
        )
        row = result.one_or_none()
        return None if row is None else entity_from(SignInCode, row, id=plain_uuid(row.id))

    async def count_miss(self, destination: str, now: datetime) -> None:
        await self._session.execute(
            update(SignInCodeRow)
            .where(SignInCodeRow.destination == destination, *self._live(now))
            .values(attempts=SignInCodeRow.attempts + 1)
        )

    @staticmethod
    def _live(now: datetime) -> tuple[Any, ...]:
        return (
            SignInCodeRow.used_at.is_(None),
            SignInCodeRow.expires_at > now,
            SignInCodeRow.attempts < MAX_ATTEMPTS,
        )


class SqlLoyaltyLedger:
    """``LoyaltyLedger`` on ``loyalty_entries``: ``key`` unique, so a replay's insert
    fails in its savepoint (after waiting for a racing unit to end) and records nothing."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, entry: LoyaltyEntry) -> bool:
        try:
            async with unique_writes(self._session):
                await self._session.execute(insert(LoyaltyEntryRow).values(row_values(entry)))
        except UniqueViolation:
            return False
        return True

    async def balance(self, customer_id: UUID) -> int:
        total = await self._session.scalar(
            select(func.coalesce(func.sum(LoyaltyEntryRow.points), 0)).where(
                LoyaltyEntryRow.customer_id == customer_id
            )
        )
        return int(total or 0)

    async def for_order(self, order_id: UUID) -> list[LoyaltyEntry]:
        rows = await self._session.execute(
            select(*_ENTRY)
            .where(LoyaltyEntryRow.order_id == order_id)
            .order_by(LoyaltyEntryRow.seq)
        )
        return [_entry_from(row) for row in rows]

    async def entries(self, customer_id: UUID, page: PageRequest) -> Page[LoyaltyEntry]:
        mine = LoyaltyEntryRow.customer_id == customer_id
        total = await self._session.scalar(
            select(func.count()).select_from(LoyaltyEntryRow).where(mine)
        )
        rows = await self._session.execute(
            select(*_ENTRY)
            .where(mine)
            .order_by(LoyaltyEntryRow.at.desc(), LoyaltyEntryRow.seq.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        return Page(
            items=[_entry_from(row) for row in rows],
            total=total or 0,
            limit=page.limit,
            offset=page.offset,
        )
