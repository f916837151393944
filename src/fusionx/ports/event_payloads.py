from __future__ import annotations

from typing import Protocol

from fusionx.core.model.events import ShiftEventData


class EventPayloads(Protocol):
    """An event's public ``data``, as the shift stream sends it (``docs/events.md``):
    the wire format is the edge's to decide, so the core asks for it."""

    def __call__(self, data: ShiftEventData) -> object: ...
