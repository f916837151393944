from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import ReviewHidden, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.reviews import MAX_HIDE_REASON_LENGTH, Review
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import can_act_on_truck, require_staff
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class HideReviewRequest(msgspec.Struct, frozen=True, kw_only=True):
    reason: str


class HideReview:
    """A manager hides an abusive review of their truck.

    Rules:
    - managers of the review's truck, owners and admins; a review of a truck out of the
      caller's scope does not exist for them (404); crew and devices 403;
    - a reason is required (at most 500 characters);
    - a hidden review stays (its author still sees it) but counts and shows nowhere
      public; hiding it again is 409;
    - every hiding is ``review.hidden`` on the truck's stream (the audit trail).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, review_id: UUID, request: HideReviewRequest
    ) -> Review:
        reason = require_text("reason", request.reason, max_length=MAX_HIDE_REASON_LENGTH)
        async with self._uow as uow:
            review = await uow.reviews.get(review_id)
            if review is None or not can_act_on_truck(principal, review.truck_id):
                raise NotFound("review", review_id)
            actor = actor_of(require_staff(principal, Role.MANAGER))
            now = self._clock.now()
            hidden = review.hide(by=actor, reason=reason, at=now)
            await uow.reviews.save(hidden)
            event = ReviewHidden(
                truck_id=review.truck_id,
                review_id=review.id,
                order_id=review.order_id,
                stars=review.stars,
                reason=reason,
            )
            await log_fleet_event(uow, Stream.truck(review.truck_id), now, actor, event)
            await uow.commit()
            return hidden
