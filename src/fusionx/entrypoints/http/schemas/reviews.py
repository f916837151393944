"""Customers' reviews: what the author writes and sees, and what the truck's managers see."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from fusionx.core.model.paging import Page
from fusionx.core.model.reviews import (
    MAX_COMMENT_LENGTH,
    MAX_HIDE_REASON_LENGTH,
    MAX_STARS,
    MIN_STARS,
    Review,
    TruckRatings,
)
from fusionx.core.use_cases.commands.change_review import ReviewChanges
from fusionx.core.use_cases.commands.hide_review import HideReviewRequest
from fusionx.core.use_cases.commands.review_order import ReviewRequest
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.actors import ActorView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text
from fusionx.entrypoints.http.schemas.storefront import RatingView

Stars = Annotated[int, msgspec.Meta(ge=MIN_STARS, le=MAX_STARS)]
# A blank comment is no comment: it may be empty here.
Comment = Annotated[str, msgspec.Meta(max_length=MAX_COMMENT_LENGTH)]


class ReviewBody(RequestBody, frozen=True, kw_only=True):
    stars: Stars
    comment: Comment | None = None

    def to_request(self) -> ReviewRequest:
        return ReviewRequest(stars=self.stars, comment=self.comment)


class ReviewChangeBody(RequestBody, frozen=True, kw_only=True):
    """Only the fields sent change; ``"comment": null`` removes the comment."""

    stars: Stars | UnsetType = UNSET
    comment: Comment | UnsetType | None = UNSET

    def to_request(self) -> ReviewChanges:
        return ReviewChanges(stars=self.stars, comment=self.comment)


class HideReviewBody(RequestBody, frozen=True, kw_only=True):
    reason: Annotated[str, text(MAX_HIDE_REASON_LENGTH)]

    def to_request(self) -> HideReviewRequest:
        return HideReviewRequest(reason=self.reason)


class ReviewView(msgspec.Struct, frozen=True, kw_only=True):
    """A review as its author sees it: editable until ``editable_until``; ``hidden``
    when the truck's managers took it down (it then counts nowhere)."""

    id: UUID
    order_id: UUID
    stars: int
    comment: str | None
    created_at: UtcDateTime
    updated_at: UtcDateTime
    editable_until: UtcDateTime
    hidden: bool

    @classmethod
    def of(cls, review: Review) -> ReviewView:
        return cls(
            id=review.id,
            order_id=review.order_id,
            stars=review.stars,
            comment=review.comment,
            created_at=review.created_at,
            updated_at=review.updated_at,
            editable_until=review.editable_until,
            hidden=review.hidden,
        )


class ManagedReviewView(msgspec.Struct, frozen=True, kw_only=True):
    """A review as the truck's managers see it: with who hid it, when and why. The
    author is a guest (the order's tracking link) or a customer account: an id only,
    never their contact."""

    id: UUID
    order_id: UUID
    author: ActorView
    stars: int
    comment: str | None
    item_ids: list[UUID]
    created_at: UtcDateTime
    updated_at: UtcDateTime
    hidden_at: UtcDateTime | None
    hidden_by: ActorView | None
    hidden_reason: str | None

    @classmethod
    def of(cls, review: Review) -> ManagedReviewView:
        return cls(
            id=review.id,
            order_id=review.order_id,
            author=ActorView.of(review.author),
            stars=review.stars,
            comment=review.comment,
            item_ids=list(review.item_ids),
            created_at=review.created_at,
            updated_at=review.updated_at,
            hidden_at=review.hidden_at,
            hidden_by=ActorView.of(review.hidden_by) if review.hidden_by else None,
            hidden_reason=review.hidden_reason,
        )


class ReviewPage(PageView, frozen=True, kw_only=True):
    """Newest first, hidden ones included; ``rating`` is the truck's over visible ones."""

    items: list[ManagedReviewView]
    rating: RatingView = RatingView(count=0, mean=None)
    view = ManagedReviewView.of

    @classmethod
    def with_ratings(cls, page: Page[Review], ratings: TruckRatings) -> ReviewPage:
        return msgspec.structs.replace(cls.of(page), rating=RatingView.of(ratings.truck))
