from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict
from fusionx.core.messages import Message
from fusionx.core.model.actors import customer_actor
from fusionx.core.model.principals import Principal
from fusionx.core.model.reviews import Review, checked_comment, checked_stars
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.steps.reviews import owned_order
from fusionx.ports.clock import Clock
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class ReviewRequest(msgspec.Struct, frozen=True, kw_only=True):
    stars: int
    comment: str | None = None


class ReviewOrder:
    """A customer reviews their order.

    Rules:
    - the order's customer only (the guest holding its tracking token, or the account
      that placed it: ``require_order_owner``);
    - only once the order was picked up (its ticket completed): 409 before;
    - one review per order: a second is 409 (of two racing, the second to commit), the
      first is changed instead (``ChangeReview``);
    - 1 to 5 stars, and a comment of at most 1 000 characters, blank meaning none;
    - the review rates the truck and each item of the order.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, order_id: UUID, request: ReviewRequest) -> Review:
        stars, comment = checked_stars(request.stars), checked_comment(request.comment)
        async with self._uow as uow:
            order, shift, owner = await owned_order(uow, principal, order_id)
            ticket = await uow.tickets.for_order(order.id)
            if ticket is None or ticket.state is not TicketState.COMPLETED:
                raise Conflict(Message("review.not_picked_up"), order_id=str(order.id))
            if await uow.reviews.for_order(order.id) is not None:
                raise Conflict(Message("review.exists"), order_id=str(order.id))
            now = self._clock.now()
            review = Review(
                id=self._ids.new_id(),
                order_id=order.id,
                truck_id=shift.truck_id,
                author=customer_actor(owner),
                stars=stars,
                comment=comment,
                created_at=now,
                updated_at=now,
                item_ids=tuple(order.quantities),
            )
            try:
                await uow.reviews.add(review)
            except UniqueViolation:
                raise Conflict(Message("review.exists"), order_id=str(order.id)) from None
            await uow.commit()
            return review
