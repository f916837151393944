"""The wire shapes the simulator reads, decoded loosely: a client ignores what it does
not need, so the server may add fields freely."""

from __future__ import annotations

from typing import Any

import msgspec

TICKET_STATES = ("new", "in_prep", "ready", "completed", "cancelled")
OPEN_TICKET_STATES = ("new", "in_prep", "ready")


class StreamEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One event of ``WS /api/v1/shifts/{id}/events``."""

    seq: int
    type: str
    shift_id: str
    at: str
    data: dict[str, Any] = {}


class TicketView(msgspec.Struct, frozen=True, kw_only=True):
    """A ticket as the kitchen tracks it, whether read over REST or from events."""

    id: str
    number: int
    state: str
    version: int


def decode_message(raw: str | bytes) -> StreamEvent | dict[str, Any]:
    """An event, or the raw object of a control message such as ``{"type": "ping"}``."""
    message = msgspec.json.decode(raw)
    if not isinstance(message, dict):
        raise msgspec.ValidationError("a stream message must be a JSON object")
    if "seq" in message:
        return msgspec.convert(message, StreamEvent)
    return message
