"""Reviews of completed orders, and the ratings they add up to."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor

MIN_STARS = 1
MAX_STARS = 5
MAX_COMMENT_LENGTH = 1000
MAX_HIDE_REASON_LENGTH = 500
# How long the author may change what they wrote, from when they first wrote it.
EDITABLE_FOR = timedelta(hours=24)


class Review(msgspec.Struct, frozen=True, kw_only=True):
    """One order's review. ``author`` is the guest holding the order's tracking token
    (kind ``guest``, id the order's) or the customer account whose order it is.
    ``item_ids`` are the order's items: the review counts towards each one's rating.
    A hidden review is kept, but counted and shown nowhere public."""

    id: UUID
    order_id: UUID
    truck_id: UUID
    author: Actor
    stars: int
    created_at: datetime
    updated_at: datetime
    comment: str | None = None
    item_ids: tuple[UUID, ...] = ()
    hidden_at: datetime | None = None
    hidden_by: Actor | None = None
    hidden_reason: str | None = None

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def editable_until(self) -> datetime:
        return self.created_at + EDITABLE_FOR

    def edited(self, *, stars: int, comment: str | None, at: datetime) -> Review:
        """The review with what its author changed: only within ``EDITABLE_FOR`` of its
        writing, and never once a manager hid it."""
        if self.hidden:
            raise Conflict(Message("review.hidden"), review_id=str(self.id))
        if at >= self.editable_until:
            raise Conflict(
                Message("review.edit_window_over", {"hours": EDITABLE_FOR // timedelta(hours=1)}),
                review_id=str(self.id),
            )
        return msgspec.structs.replace(self, stars=stars, comment=comment, updated_at=at)

    def hide(self, *, by: Actor, reason: str, at: datetime) -> Review:
        if self.hidden:
            raise Conflict(Message("review.hidden"), review_id=str(self.id))
        return msgspec.structs.replace(self, hidden_at=at, hidden_by=by, hidden_reason=reason)


def checked_stars(stars: int) -> int:
    if not MIN_STARS <= stars <= MAX_STARS:
        raise InvalidInput("stars", Message("input.between", {"low": MIN_STARS, "high": MAX_STARS}))
    return stars


def checked_comment(comment: str | None) -> str | None:
    """A comment stripped of surrounding blanks, None when nothing is left."""
    if comment is None or not comment.strip():
        return None
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise InvalidInput("comment", Message("input.too_long", {"count": MAX_COMMENT_LENGTH}))
    return comment


class Rating(msgspec.Struct, frozen=True, kw_only=True):
    """Visible reviews counted, and their mean (None without any)."""

    count: int = 0
    total_stars: int = 0

    @property
    def mean(self) -> float | None:
        return round(self.total_stars / self.count, 2) if self.count else None


class TruckRatings(msgspec.Struct, frozen=True, kw_only=True):
    """A truck's rating, and each reviewed item's on it (hidden reviews left out).
    ``last_change`` moves with every review written, changed or hidden: what a cached
    copy of the public menu is checked against."""

    truck: Rating = Rating()
    items: dict[UUID, Rating] = {}
    last_change: datetime | None = None
