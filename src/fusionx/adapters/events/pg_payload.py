"""The NOTIFY payload that carries a committed shift event between processes.

PostgreSQL caps a payload below 8000 bytes. An event that fits travels whole; a larger
one travels as a pointer (shift and seq only) and listeners fetch it from the log.
"""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.events import ShiftEvent

CHANNEL = "fusionx_events"
MAX_PAYLOAD_BYTES = 7900


class EventPointer(msgspec.Struct, frozen=True, kw_only=True, tag="pointer"):
    shift_id: UUID
    seq: int


class WholeEvent(msgspec.Struct, frozen=True, kw_only=True, tag="event"):
    event: ShiftEvent


Payload = WholeEvent | EventPointer

_encoder = msgspec.json.Encoder()
_decoder: msgspec.json.Decoder[Payload] = msgspec.json.Decoder(Payload)


def encode(event: ShiftEvent) -> str:
    whole = _encoder.encode(WholeEvent(event=event))
    if len(whole) <= MAX_PAYLOAD_BYTES:
        return whole.decode()
    return _encoder.encode(EventPointer(shift_id=event.shift_id, seq=event.seq)).decode()


def decode(payload: str) -> Payload:
    return _decoder.decode(payload)
