"""The kitchen feed's tickets as the API sends them, which the store writes itself.

The feed is the most read answer of all (every tablet, many times a minute), and
PostgreSQL builds its JSON in the statement that reads it: the bytes go out as they
come, never decoded into Structs and encoded again. So the wire shape is a contract of
``TicketRepository.feed_json_unless_held``, named here once: the API documents these
Structs, every store's bytes decode into them (``tests/contract/test_kitchen_feed.py``),
and the stores that build the feed in Python encode these very Structs (``encode_feed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from fusionx.core.model.orders import OrderLine
from fusionx.core.model.tickets import KdsTicket, TicketState

# Times on the wire are always timezone-aware, as everywhere in the API.
_Utc = Annotated[datetime, msgspec.Meta(tz=True)]


class KdsLineView(msgspec.Struct, frozen=True, kw_only=True):
    """``modifiers`` names the options chosen ("Large", "Extra cheese")."""

    item_id: UUID
    name: str
    quantity: int
    notes: str | None
    modifiers: list[str]

    @classmethod
    def of(cls, line: OrderLine) -> KdsLineView:
        return cls(
            item_id=line.item_id,
            name=line.name,
            quantity=line.quantity,
            notes=line.notes,
            modifiers=[modifier.name for modifier in line.modifiers],
        )


class KdsTicketView(msgspec.Struct, frozen=True, kw_only=True):
    """A ticket on the kitchen display; ``age_seconds`` counts from its order.

    A held ticket shows where it resumes (``held_from``) and when it fires (``fire_at``,
    null when held by hand)."""

    id: UUID
    order_id: UUID
    number: int
    state: TicketState
    version: int
    created_at: _Utc
    updated_at: _Utc
    age_seconds: int
    customer_name: str | None
    lines: list[KdsLineView]
    held_from: TicketState | None
    fire_at: _Utc | None
    # When the order was promised ready, from the queue and recent prep times.
    promised_ready_at: _Utc | None

    @classmethod
    def of(cls, ticket: KdsTicket, now: datetime) -> KdsTicketView:
        return cls(
            id=ticket.id,
            order_id=ticket.order_id,
            number=ticket.number,
            state=ticket.state,
            version=ticket.version,
            created_at=ticket.created_at,
            updated_at=ticket.updated_at,
            age_seconds=age_seconds(ticket.created_at, now),
            customer_name=ticket.customer_name,
            lines=[KdsLineView.of(line) for line in ticket.lines],
            held_from=ticket.held_from,
            fire_at=ticket.fire_at,
            promised_ready_at=ticket.promised_ready_at,
        )


def age_seconds(created_at: datetime, now: datetime) -> int:
    """Whole seconds since ``created_at``, never below zero (clocks of two hosts)."""
    return max(0, int((now - created_at).total_seconds()))


_ENCODER = msgspec.json.Encoder()


def encode_feed(tickets: Iterable[KdsTicket], now: datetime) -> bytes:
    """``tickets`` as ``feed_json_unless_held`` sends them: a JSON array of
    ``KdsTicketView``."""
    return _ENCODER.encode([KdsTicketView.of(ticket, now) for ticket in tickets])
