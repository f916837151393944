from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.use_cases.steps.payment_holds import release_hold
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWorkFactory

SWEEP_BATCH = 100
# How long an unpaid online order holds its stock, unless the settings say otherwise.
DEFAULT_HOLD = timedelta(minutes=15)


class ReleaseLapsedHolds:
    """Give back the stock of online orders left unpaid past the hold period.

    Rules:
    - an order awaiting payment that still holds stock and was created more than
      ``hold`` ago gives its units back (RETURN movements on its shift's stream, in
      the payment gateway's name: the hold was for its answer). It still awaits
      payment: a payment arriving later takes the units again, or needs a refund;
    - each order is released in its own unit of work, read for update: of several
      sweeps (workers, instances) reaching it at once, and of a payment notification
      racing them, exactly one acts, and the others find nothing left to do.
    """

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, hold: timedelta = DEFAULT_HOLD
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._hold = hold

    async def execute(self) -> list[UUID]:
        """The orders whose holds this sweep gave back."""
        cutoff = self._clock.now() - self._hold
        async with self._uow() as uow:
            lapsed = await uow.orders.lapsed_holds(cutoff, SWEEP_BATCH)
        released = []
        for order_id in lapsed:
            if await self._release(order_id):
                released.append(order_id)
        return released

    async def _release(self, order_id: UUID) -> bool:
        now = self._clock.now()
        async with self._uow() as uow:
            order = await uow.orders.get_for_update(order_id)
            if order is None or order.created_at >= now - self._hold:
                return False
            released = await release_hold(
                uow, self._ids, order, actor=Actor(kind=PrincipalKind.GATEWAY, id=order.id), at=now
            )
            if released is order:  # paid, or released by another sweep meanwhile
                return False
            await uow.commit()
        return True
