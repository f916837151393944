"""The shift event stream's wire messages (WebSocket, JSON text frames).

Server to client: one ``EventMessage`` per shift event, or a ``Ping``. Client to
server: ``Auth`` (first message, when the upgrade request had no Authorization header)
and ``Pong``. Events carry their event type in ``type`` too ("order.created"…): a
client tells control messages apart by the ``ping`` type, and events by ``seq``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Self
from uuid import UUID

import msgspec
import structlog

from fusionx.core.model.events import ShiftEvent
from fusionx.entrypoints.http.schemas.stream import public_data, recorded

_log = structlog.stdlib.get_logger("fusionx.events")


class EventMessage(msgspec.Struct, frozen=True, kw_only=True):
    """A shift event. ``seq`` counts 1, 2, 3… per shift; ``at`` is RFC 3339 in UTC;
    ``data`` is the event type's payload (``schemas.stream``)."""

    shift_id: UUID
    seq: int
    type: str
    at: datetime
    data: Any

    @classmethod
    def of(cls, event: ShiftEvent) -> Self:
        return cls(
            shift_id=event.shift_id,
            seq=event.seq,
            type=event.type.value,
            at=event.at.astimezone(UTC),
            data=_data(event),
        )


def _data(event: ShiftEvent) -> Any:
    try:
        return public_data(event.data)
    except msgspec.ValidationError:
        # A payload the contract does not describe is a bug (tests/events catch it), but
        # a client must still get every event once: send it as recorded.
        _log.exception("event outside its published schema", type=event.type.value)
        return recorded(event.data)


class Ping(msgspec.Struct, frozen=True, tag_field="type", tag="ping"):
    """Sent by the server every ping interval; answer with a ``Pong`` (or anything)."""


class Pong(msgspec.Struct, frozen=True, tag_field="type", tag="pong"):
    """Any client message proves the client is alive; this one says nothing else."""


class Auth(msgspec.Struct, frozen=True, kw_only=True, tag_field="type", tag="auth"):
    """The credential, as the first message, for clients that cannot set headers."""

    token: str


ClientMessage = Auth | Pong
