from __future__ import annotations

from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from fusionx.core.errors import NotFound
from fusionx.core.model.principals import Principal
from fusionx.core.model.reviews import Review, checked_comment, checked_stars
from fusionx.core.use_cases.steps.reviews import owned_order
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ReviewChanges(msgspec.Struct, frozen=True, kw_only=True):
    """What to change; a field left unset keeps its value (``comment=None`` clears it)."""

    stars: int | UnsetType = UNSET
    comment: str | UnsetType | None = UNSET


class ChangeReview:
    """The author changes their review.

    Rules:
    - the order's customer only, as for writing it; an order not reviewed is 404;
    - within 24 hours of its writing (409 after), and never once a manager hid it (409);
    - the same bounds as writing it: 1 to 5 stars, a comment of at most 1 000 characters.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, order_id: UUID, changes: ReviewChanges) -> Review:
        stars = UNSET if changes.stars is UNSET else checked_stars(changes.stars)
        comment = UNSET if changes.comment is UNSET else checked_comment(changes.comment)
        async with self._uow as uow:
            order, _shift, _owner = await owned_order(uow, principal, order_id)
            review = await uow.reviews.for_order(order.id)
            if review is None:
                raise NotFound("review", order.id)
            changed = review.edited(
                stars=review.stars if stars is UNSET else stars,
                comment=review.comment if comment is UNSET else comment,
                at=self._clock.now(),
            )
            await uow.reviews.save(changed)
            await uow.commit()
            return changed
