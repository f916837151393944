from __future__ import annotations

from fusionx.core.errors import AuthenticationRequired, PermissionDenied
from fusionx.core.messages import Message
from fusionx.core.model.credentials import hash_secret
from fusionx.core.model.customers import Customer
from fusionx.core.model.devices import Device
from fusionx.core.model.principals import (
    CustomerPrincipal,
    DevicePrincipal,
    OperatorPrincipal,
    StaffPrincipal,
)
from fusionx.ports.clock import Clock
from fusionx.ports.repositories.access_tokens import TokenHolder
from fusionx.ports.unit_of_work import UnitOfWork

_REFUSED = Message("auth.credential_refused")


class Authenticate:
    """Turn a bearer secret into the principal it belongs to.

    Rules:
    - the secret is looked up by its hash only;
    - an expired or revoked credential is refused, and so is one whose staff
      member is deactivated or whose device is revoked: revocation takes effect
      on the very next request;
    - the fleet's side takes staff and device credentials only: a customer's live
      credential is refused with 403 before anything is looked up (``customer`` is
      the customer side's way in, and refuses staff and device credentials alike);
    - either way, one read (``get_with_holder``).

    It only reads: give it a reading unit of work (``Adapters.reader``).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, secret: str) -> OperatorPrincipal:
        found = await self._usable(secret)
        token, subject = found.token, found.subject
        if isinstance(subject, Customer):
            if subject.active:
                raise PermissionDenied(Message("access.operators_only"))
        elif isinstance(subject, Device):
            if not subject.revoked:
                return DevicePrincipal(
                    device=subject, token_id=token.id, token_expires_at=token.expires_at
                )
        elif subject is not None and subject.active:
            return StaffPrincipal(
                staff=subject,
                token_id=token.id,
                token_expires_at=token.expires_at,
                token_seen_at=token.last_seen_at,
            )
        # The same words as for an unknown token: a leaked token tells its holder nothing.
        raise AuthenticationRequired(_REFUSED)

    async def customer(self, secret: str) -> CustomerPrincipal:
        """The signed-in customer of ``secret``: 401 as ``execute`` for a credential that
        does not work or whose account is closed, 403 for a staff or device one."""
        found = await self._usable(secret)
        token, subject = found.token, found.subject
        if isinstance(subject, Customer):
            if subject.active:
                return CustomerPrincipal(
                    customer_id=subject.id, token_id=token.id, token_expires_at=token.expires_at
                )
        elif subject is not None:
            raise PermissionDenied(Message("access.customers_only"))
        raise AuthenticationRequired(_REFUSED)

    async def _usable(self, secret: str) -> TokenHolder:
        async with self._uow as uow:
            found = await uow.tokens.get_with_holder(hash_secret(secret))
        if found is None or not found.token.is_usable_at(self._clock.now()):
            raise AuthenticationRequired(_REFUSED)
        return found
