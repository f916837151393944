from __future__ import annotations

from fusionx.core.model.orders import Order
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.core.use_cases.steps.customer_accounts import signed_in_customer
from fusionx.ports.unit_of_work import UnitOfWork


class ListCustomerOrders:
    """A signed-in customer's own orders (those their account placed), the newest first,
    a page at a time. Nobody else's: the account is the caller's, never a parameter."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, customer: CustomerPrincipal, page: PageRequest) -> Page[Order]:
        async with self._uow as uow:
            account = await signed_in_customer(uow, customer)
            return await uow.orders.of_customer(account.id, page)
