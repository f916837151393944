from __future__ import annotations

from fusionx.core.model.customers import Customer
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.core.use_cases.steps.customer_accounts import signed_in_customer
from fusionx.ports.unit_of_work import UnitOfWork


class ViewCustomerProfile:
    """A signed-in customer reads their own account: never anyone else's (there is no
    id to ask for one by)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, customer: CustomerPrincipal) -> Customer:
        async with self._uow as uow:
            return await signed_in_customer(uow, customer)
