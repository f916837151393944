"""In-memory tracking links and reviews."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.reviews import Rating, Review, TruckRatings
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.tracking import OrderTracking
from fusionx.ports.errors import UniqueViolation

_TO_BE_MADE = frozenset({TicketState.NEW, TicketState.IN_PREP, TicketState.HOLD})


class InMemoryOrderTrackingRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.tracking
        self._tickets = tables.tickets

    async def add(self, tracking: OrderTracking) -> None:
        if tracking.order_id in self._rows:
            raise UniqueViolation("order_id")
        if any(t.token_hash == tracking.token_hash for t in self._rows.values()):
            raise UniqueViolation("token_hash")
        self._rows[tracking.order_id] = tracking

    async def by_hash(self, token_hash: str) -> OrderTracking | None:
        return next((t for t in self._rows.values() if t.token_hash == token_hash), None)

    async def for_order(self, order_id: UUID) -> OrderTracking | None:
        return self._rows.get(order_id)

    async def for_orders(self, order_ids: list[UUID]) -> list[OrderTracking]:
        return [self._rows[order_id] for order_id in set(order_ids) if order_id in self._rows]

    async def set_told(self, order_id: UUID, was: datetime | None, ready_at: datetime) -> bool:
        kept = self._rows.get(order_id)
        if kept is None or kept.told_ready_at != was:
            return False
        self._rows[order_id] = msgspec.structs.replace(kept, told_ready_at=ready_at)
        return True

    async def overdue(self, before: datetime, limit: int) -> list[OrderTracking]:
        waiting = {t.order_id for t in self._tickets.values() if t.state in _TO_BE_MADE}
        rows = [
            t
            for t in self._rows.values()
            if t.notify
            and t.told_ready_at is not None
            and t.told_ready_at < before
            and t.order_id in waiting
        ]
        return sorted(rows, key=lambda t: (t.told_ready_at, t.order_id))[:limit]


class InMemoryReviewRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.reviews

    async def add(self, review: Review) -> None:
        if any(r.order_id == review.order_id for r in self._rows.values()):
            raise UniqueViolation("order_id")
        self._rows[review.id] = review

    async def get(self, review_id: UUID) -> Review | None:
        return self._rows.get(review_id)

    async def for_order(self, order_id: UUID) -> Review | None:
        return next((r for r in self._rows.values() if r.order_id == order_id), None)

    async def save(self, review: Review) -> None:
        if review.id in self._rows:
            self._rows[review.id] = review

    async def list_for_truck(self, truck_id: UUID, page: PageRequest) -> Page[Review]:
        rows = sorted(
            (r for r in self._rows.values() if r.truck_id == truck_id),
            key=lambda r: (r.created_at, r.id),
            reverse=True,
        )
        return Page.of_list(rows, page)

    async def ratings(self, truck_id: UUID) -> TruckRatings:
        reviews = [r for r in self._rows.values() if r.truck_id == truck_id]
        visible = [r for r in reviews if not r.hidden]
        items: dict[UUID, Rating] = {}
        for review in visible:
            for item_id in review.item_ids:
                was = items.get(item_id, Rating())
                items[item_id] = Rating(
                    count=was.count + 1, total_stars=was.total_stars + review.stars
                )
        return TruckRatings(
            truck=Rating(count=len(visible), total_stars=sum(r.stars for r in visible)),
            items=dict(sorted(items.items())),
            last_change=max((r.hidden_at or r.updated_at for r in reviews), default=None),
        )
