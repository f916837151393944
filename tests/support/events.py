"""Reading logged events in tests as the log stores them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import msgspec

from fusionx.core.model.events import DeviceStale, NewEvent, ShiftEvent
from tests.support.entities import T0, new_id


def stored(event: ShiftEvent | NewEvent) -> dict[str, Any]:
    """The event's data as JSON values, as the log writes it (tagged with its type)."""
    data: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(event.data))
    return data


def a_numbered_event(shift_id: UUID, n: int, *, label: str = "") -> NewEvent:
    """An event whose data carries ``n`` (``number_of``) and a free text ``label``."""
    return NewEvent(
        shift_id=shift_id,
        at=T0 + timedelta(seconds=n),
        data=DeviceStale(
            device_id=new_id(),
            label=label or f"event {n}",
            last_seen_at=None,
            stale_after_seconds=n,
        ),
    )


def number_of(event: ShiftEvent | NewEvent) -> int:
    """The ``n`` of an event made by ``a_numbered_event``."""
    assert isinstance(event.data, DeviceStale)
    return event.data.stale_after_seconds
