from __future__ import annotations

import msgspec

from fusionx.core.model.loyalty import POINT_VALUE_CENTS, LoyaltyEntry
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.core.use_cases.steps.customer_accounts import signed_in_customer
from fusionx.ports.unit_of_work import UnitOfWork


class LoyaltyAccount(msgspec.Struct, frozen=True, kw_only=True):
    """The balance (the sum of every entry), what it is worth, and a page of entries."""

    balance: int
    worth_cents: int
    entries: Page[LoyaltyEntry]


class ViewLoyalty:
    """A signed-in customer reads their own points: the balance and the entries, the
    newest first. Read in one transaction, so the page and the balance agree."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, customer: CustomerPrincipal, page: PageRequest) -> LoyaltyAccount:
        async with self._uow as uow:
            account = await signed_in_customer(uow, customer)
            balance = await uow.loyalty.balance(account.id)
            return LoyaltyAccount(
                balance=balance,
                worth_cents=max(0, balance) * POINT_VALUE_CENTS,
                entries=await uow.loyalty.entries(account.id, page),
            )
