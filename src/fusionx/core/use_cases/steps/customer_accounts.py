"""Finding a customer account: by where its codes go, and by the signed-in principal."""

from __future__ import annotations

from fusionx.core.errors import AuthenticationRequired
from fusionx.core.messages import Message
from fusionx.core.model.customers import Channel, Customer, Destination
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.ports.unit_of_work import UnitOfWork


async def customer_at(uow: UnitOfWork, destination: Destination) -> Customer | None:
    """The account known by ``destination``'s email or phone, if there is one."""
    if destination.channel is Channel.EMAIL:
        return await uow.customers.by_email(destination.address)
    return await uow.customers.by_phone(destination.address)


async def signed_in_customer(uow: UnitOfWork, principal: CustomerPrincipal) -> Customer:
    """The caller's own account; one closed since the credential was read is 401, as
    authentication answers for it."""
    customer = await uow.customers.get(principal.customer_id)
    if customer is None or not customer.active:
        raise AuthenticationRequired(Message("auth.credential_refused"))
    return customer
