from __future__ import annotations

from fusionx.core.errors import AuthenticationRequired
from fusionx.core.model.credentials import PrincipalKind, hash_secret
from fusionx.core.model.principals import DevicePrincipal, Principal, StaffPrincipal
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

_REFUSED = "The credential is unknown, expired or revoked"


class Authenticate:
    """Turn a bearer secret into the principal it belongs to.

    Rules:
    - the secret is looked up by its hash only;
    - an expired or revoked credential is refused, and so is one whose staff
      member is deactivated or whose device is revoked: revocation takes effect
      on the very next request.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, secret: str) -> Principal:
        async with self._uow as uow:
            token = await uow.tokens.get_by_hash(hash_secret(secret))
            if token is None or not token.is_usable_at(self._clock.now()):
                raise AuthenticationRequired(_REFUSED)
            if token.kind is PrincipalKind.STAFF:
                staff = await uow.staff.get(token.subject_id)
                if staff is not None and staff.active:
                    return StaffPrincipal(staff=staff, token_id=token.id)
            else:
                device = await uow.devices.get(token.subject_id)
                if device is not None and not device.revoked:
                    return DevicePrincipal(device=device, token_id=token.id)
        # The same words as for an unknown token: a leaked token tells its holder nothing.
        raise AuthenticationRequired(_REFUSED)
