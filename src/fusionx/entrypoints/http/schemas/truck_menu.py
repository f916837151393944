"""A truck's selection from the catalogue, and a shift's specials."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from fusionx.core.model.menu import TruckMenuEntry
from fusionx.core.use_cases.commands.add_shift_special import AddSpecialRequest
from fusionx.core.use_cases.commands.adjust_stock import MAX_STOCK
from fusionx.entrypoints.http.schemas.catalogue import Price, Tag
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import text


class TruckMenuEntryBody(RequestBody, frozen=True, kw_only=True):
    """A catalogue item the truck sells; ``price_cents`` overrides the catalogue's;
    ``opening_stock`` is what every shift of the truck starts with on hand."""

    item_id: UUID
    price_cents: Price | None = None
    opening_stock: Annotated[int, msgspec.Meta(ge=0, le=MAX_STOCK)] | None = None

    def to_entry(self) -> TruckMenuEntry:
        return TruckMenuEntry(
            item_id=self.item_id, price_cents=self.price_cents, opening_stock=self.opening_stock
        )

    @classmethod
    def of(cls, entry: TruckMenuEntry) -> TruckMenuEntryBody:
        return cls(
            item_id=entry.item_id,
            price_cents=entry.price_cents,
            opening_stock=entry.opening_stock,
        )


class TruckMenuBody(RequestBody, frozen=True, kw_only=True):
    """The whole selection; an empty list sells the whole catalogue."""

    items: Annotated[list[TruckMenuEntryBody], msgspec.Meta(max_length=1000)]


class SpecialBody(RequestBody, frozen=True, kw_only=True):
    """An item for this shift only, with its starting stock."""

    category_id: UUID
    name: Annotated[str, text(100)]
    price_cents: Price
    stock: Annotated[int, msgspec.Meta(ge=1, le=100_000)]
    description: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    tags: Annotated[list[Tag], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    modifier_group_ids: Annotated[list[UUID], msgspec.Meta(max_length=20)] = msgspec.field(
        default_factory=list
    )

    def to_request(self, shift_id: UUID) -> AddSpecialRequest:
        return AddSpecialRequest(
            shift_id=shift_id,
            category_id=self.category_id,
            name=self.name,
            price_cents=self.price_cents,
            stock=self.stock,
            description=self.description,
            tags=tuple(self.tags),
            modifier_group_ids=tuple(self.modifier_group_ids),
        )
