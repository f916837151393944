from __future__ import annotations

from fusionx.core.model.principals import Principal
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class LogOut:
    """Revoke the credential the caller used; it stops working on the next request."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal) -> None:
        async with self._uow as uow:
            await uow.tokens.revoke(principal.token_id, self._clock.now())
            await uow.commit()
