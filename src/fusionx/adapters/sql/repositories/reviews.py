"""Reviews on SQL, and the ratings they add up to, grouped by the database."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import actor_from, named, plain_uuid
from fusionx.adapters.sql.tables import ReviewItemRow, ReviewRow
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.reviews import Rating, Review, TruckRatings

_COLUMNS = (
    ReviewRow.id,
    ReviewRow.order_id,
    ReviewRow.truck_id,
    ReviewRow.author_kind,
    ReviewRow.author_id,
    ReviewRow.stars,
    ReviewRow.comment,
    ReviewRow.created_at,
    ReviewRow.updated_at,
    ReviewRow.hidden_at,
    ReviewRow.hidden_by_kind,
    ReviewRow.hidden_by_id,
    ReviewRow.hidden_reason,
)


def _changes(review: Review) -> dict[str, Any]:
    """The columns that may change after a review is written."""
    hidden_by = review.hidden_by
    return {
        "stars": review.stars,
        "comment": review.comment,
        "updated_at": review.updated_at,
        "hidden_at": review.hidden_at,
        "hidden_by_kind": hidden_by.kind.value if hidden_by else None,
        "hidden_by_id": hidden_by.id if hidden_by else None,
        "hidden_reason": review.hidden_reason,
    }


def _review(values: Any, item_ids: tuple[UUID, ...]) -> Review:
    row = named(_COLUMNS, values)
    hidden_by = row.hidden_by_kind
    return Review(
        id=plain_uuid(row.id),
        order_id=plain_uuid(row.order_id),
        truck_id=plain_uuid(row.truck_id),
        author=actor_from(row.author_kind, row.author_id),
        stars=row.stars,
        comment=row.comment,
        created_at=row.created_at,
        updated_at=row.updated_at,
        item_ids=item_ids,
        hidden_at=row.hidden_at,
        hidden_by=actor_from(hidden_by, row.hidden_by_id) if hidden_by else None,
        hidden_reason=row.hidden_reason,
    )


class SqlReviewRepository:
    """``ReviewRepository`` on ``reviews`` and ``review_items``, the same on both dialects."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, review: Review) -> None:
        async with unique_writes(self._session):
            await self._session.execute(
                insert(ReviewRow).values(
                    id=review.id,
                    order_id=review.order_id,
                    truck_id=review.truck_id,
                    author_kind=review.author.kind.value,
                    author_id=review.author.id,
                    created_at=review.created_at,
                    **_changes(review),
                )
            )
        if review.item_ids:
            await self._session.execute(
                insert(ReviewItemRow),
                [{"review_id": review.id, "item_id": item} for item in set(review.item_ids)],
            )

    async def get(self, review_id: UUID) -> Review | None:
        found = await self._select(ReviewRow.id == review_id)
        return found[0] if found else None

    async def for_order(self, order_id: UUID) -> Review | None:
        found = await self._select(ReviewRow.order_id == order_id)
        return found[0] if found else None

    async def save(self, review: Review) -> None:
        await self._session.execute(
            update(ReviewRow).where(ReviewRow.id == review.id).values(**_changes(review))
        )

    async def list_for_truck(self, truck_id: UUID, page: PageRequest) -> Page[Review]:
        connection = await self._session.connection()
        condition = ReviewRow.truck_id == truck_id
        total = await connection.scalar(
            select(func.count()).select_from(ReviewRow).where(condition)
        )
        items = await self._select(condition, limit=page.limit, offset=page.offset)
        return Page(items=items, total=total or 0, limit=page.limit, offset=page.offset)

    async def ratings(self, truck_id: UUID) -> TruckRatings:
        connection = await self._session.connection()
        visible = (ReviewRow.truck_id == truck_id) & ReviewRow.hidden_at.is_(None)
        truck = (
            await connection.execute(
                select(func.count(), func.coalesce(func.sum(ReviewRow.stars), 0)).where(visible)
            )
        ).one()
        # A hidden review changes what the menu shows too: the last change counts them all.
        last_change = await connection.scalar(
            select(
                func.max(func.coalesce(ReviewRow.hidden_at, ReviewRow.updated_at)),
            ).where(ReviewRow.truck_id == truck_id)
        )
        items = await connection.execute(
            select(ReviewItemRow.item_id, func.count(), func.sum(ReviewRow.stars))
            .join(ReviewRow, ReviewRow.id == ReviewItemRow.review_id)
            .where(visible)
            .group_by(ReviewItemRow.item_id)
            .order_by(ReviewItemRow.item_id)
        )
        return TruckRatings(
            truck=Rating(count=truck[0], total_stars=int(truck[1])),
            items={
                plain_uuid(item_id): Rating(count=count, total_stars=int(stars))
                for item_id, count, stars in items
            },
            last_change=last_change,
        )

    async def _select(
        self, condition: ColumnElement[bool], *, limit: int | None = None, offset: int = 0
    ) -> list[Review]:
        connection = await self._session.connection()
        rows = list(
            await connection.execute(
                select(*_COLUMNS)
                .where(condition)
                .order_by(ReviewRow.created_at.desc(), ReviewRow.id.desc())
                .offset(offset)
                .limit(limit)
            )
        )
        ids = [row[0] for row in rows]
        items: dict[UUID, list[UUID]] = {}
        if ids:
            found = await connection.execute(
                select(ReviewItemRow.review_id, ReviewItemRow.item_id)
                .where(ReviewItemRow.review_id.in_(ids))
                .order_by(ReviewItemRow.item_id)
            )
            for review_id, item_id in found:
                items.setdefault(plain_uuid(review_id), []).append(plain_uuid(item_id))
        return [_review(row, tuple(items.get(plain_uuid(row[0]), ()))) for row in rows]
