from __future__ import annotations

from fusionx.core.model.principals import GuestPrincipal
from fusionx.core.use_cases.steps.tracking import guest_of
from fusionx.ports.unit_of_work import UnitOfWork


class ResolveTracking:
    """Whom a tracking token makes of its holder: the guest of its one order.

    Rules: an unknown token, or garbage, is 404 with the same answer after the same
    work (one read by the token's hash); a tracking token is no bearer credential
    (``Authenticate`` never looks here), and no route but ``/track/{token}`` takes it.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, token: str) -> GuestPrincipal:
        async with self._uow as uow:
            return await guest_of(uow, token)
