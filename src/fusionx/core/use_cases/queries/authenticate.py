from __future__ import annotations

from fusionx.core.errors import AuthenticationRequired
from fusionx.core.model.credentials import hash_secret
from fusionx.core.model.devices import Device
from fusionx.core.model.principals import DevicePrincipal, OperatorPrincipal, StaffPrincipal
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

_REFUSED = "The credential is unknown, expired or revoked"


class Authenticate:
    """Turn a bearer secret into the principal it belongs to.

    Rules:
    - the secret is looked up by its hash only;
    - an expired or revoked credential is refused, and so is one whose staff
      member is deactivated or whose device is revoked: revocation takes effect
      on the very next request;
    - staff and device credentials only: no customer or guest principal comes out of a
      bearer secret until the customer sign-in brings its own credential kind.

    It only reads: give it a reading unit of work (``Adapters.reader``).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, secret: str) -> OperatorPrincipal:
        async with self._uow as uow:
            found = await uow.tokens.get_with_holder(hash_secret(secret))
        if found is None or not found.token.is_usable_at(self._clock.now()):
            raise AuthenticationRequired(_REFUSED)
        token, subject = found.token, found.subject
        if isinstance(subject, Device):
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
