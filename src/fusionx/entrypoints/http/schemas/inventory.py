"""Inventory adjustments and the ledger rows they leave."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec

from fusionx.core.model.stock import StockMovement, StockReason
from fusionx.core.use_cases.commands.adjust_stock import MAX_STOCK, AdjustStockRequest
from fusionx.entrypoints.http.schemas.actors import ActorView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text

# The reasons staff may give; `sale` rows are the system's own.
AdjustmentReason = Literal["restock", "waste", "count", "correction"]


class StockAdjustmentBody(RequestBody, frozen=True, kw_only=True):
    """A ``count`` gives the absolute number on hand; every other reason a non-zero ``delta``."""

    item_id: UUID
    reason: AdjustmentReason
    delta: Annotated[int, msgspec.Meta(ge=-MAX_STOCK, le=MAX_STOCK)] | None = None
    count: Annotated[int, msgspec.Meta(ge=0, le=MAX_STOCK)] | None = None
    note: Annotated[str, text(500)] | None = None

    def to_request(self, shift_id: UUID) -> AdjustStockRequest:
        return AdjustStockRequest(
            shift_id=shift_id,
            item_id=self.item_id,
            reason=StockReason(self.reason),
            delta=self.delta,
            count=self.count,
            note=self.note,
        )


class StockMovementView(msgspec.Struct, frozen=True, kw_only=True):
    """One ledger row: ``on_hand`` is the level it left."""

    id: UUID
    item_id: UUID
    delta: int
    on_hand: int
    reason: StockReason
    actor: ActorView
    at: UtcDateTime
    note: str | None

    @classmethod
    def of(cls, movement: StockMovement) -> StockMovementView:
        return cls(
            id=movement.id,
            item_id=movement.item_id,
            delta=movement.delta,
            on_hand=movement.on_hand_after,
            reason=movement.reason,
            actor=ActorView.of(movement.actor),
            at=movement.at,
            note=movement.note,
        )
