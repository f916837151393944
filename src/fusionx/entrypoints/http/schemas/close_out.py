"""A shift's close-out (bulk advance), its cancellations and its all-day counts."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.commands.bulk_advance import (
    MAX_TICKETS,
    AdvanceOutcome,
    AdvanceResult,
    BulkAdvanceRequest,
)
from fusionx.core.use_cases.queries.view_all_day import AllDayCount, ModifierCount
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.order_details import CancellationView
from fusionx.entrypoints.http.schemas.requests import RequestBody


class BulkAdvanceBody(RequestBody, frozen=True, kw_only=True):
    """Without ``ticket_ids``, every READY ticket of the shift."""

    ticket_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=MAX_TICKETS)] | None = (
        None
    )

    def to_request(self, shift_id: UUID) -> BulkAdvanceRequest:
        ids = None if self.ticket_ids is None else tuple(self.ticket_ids)
        return BulkAdvanceRequest(shift_id=shift_id, ticket_ids=ids)


class AdvanceResultView(msgspec.Struct, frozen=True, kw_only=True):
    """``outcome`` says whether the ticket was advanced or why not; ``state`` and
    ``version`` are the ticket's now (null for a ticket not on this shift)."""

    ticket_id: UUID
    outcome: AdvanceOutcome
    number: int | None
    state: TicketState | None
    version: int | None

    @classmethod
    def of(cls, result: AdvanceResult) -> AdvanceResultView:
        ticket = result.ticket
        return cls(
            ticket_id=result.ticket_id,
            outcome=result.outcome,
            number=ticket.number if ticket else None,
            state=ticket.state if ticket else None,
            version=ticket.version if ticket else None,
        )


class BulkAdvanceView(msgspec.Struct, frozen=True, kw_only=True):
    advanced: int
    results: list[AdvanceResultView]

    @classmethod
    def of(cls, results: list[AdvanceResult]) -> BulkAdvanceView:
        return cls(
            advanced=sum(r.outcome is AdvanceOutcome.ADVANCED for r in results),
            results=[AdvanceResultView.of(r) for r in results],
        )


class CancellationPage(PageView, frozen=True, kw_only=True):
    items: list[CancellationView]
    view = CancellationView.of


class ModifierCountView(msgspec.Struct, frozen=True, kw_only=True):
    option_id: UUID
    name: str
    quantity: int

    @classmethod
    def of(cls, count: ModifierCount) -> ModifierCountView:
        return cls(option_id=count.option_id, name=count.name, quantity=count.quantity)


class AllDayItemView(msgspec.Struct, frozen=True, kw_only=True):
    """``quantity`` units of the item waiting over ``tickets`` tickets; ``modifiers``
    counts the units of them with each option."""

    item_id: UUID
    name: str
    quantity: int
    tickets: int
    modifiers: list[ModifierCountView]

    @classmethod
    def of(cls, count: AllDayCount) -> AllDayItemView:
        return cls(
            item_id=count.item_id,
            name=count.name,
            quantity=count.quantity,
            tickets=count.tickets,
            modifiers=[ModifierCountView.of(m) for m in count.modifiers],
        )


class AllDayView(msgspec.Struct, frozen=True, kw_only=True):
    """What is waiting across the shift's new, in-prep and held tickets, most first."""

    shift_id: UUID
    items: list[AllDayItemView]
