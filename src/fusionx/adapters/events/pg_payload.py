"""The NOTIFY payloads that carry committed shift events and credential revocations
between processes.

PostgreSQL caps a payload below 8000 bytes. An event that fits travels whole; a larger
one travels as a pointer (shift and seq only) and listeners fetch it from the log.
Revoked credentials travel as their ids, a hundred to a payload.

The log numbers events inside the statement that writes and notifies them, so a payload
is encoded before its seq is known, in two halves that the number goes between.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import msgspec

from fusionx.core.model.events import NewEvent, ShiftEvent

CHANNEL = "fusionx_events"
MAX_PAYLOAD_BYTES = 7900
# Room left in a payload for the seq: a shift never logs 10**10 events.
_SEQ_DIGITS = 10
# Encoded with seq 0, a payload's first ``"seq":0`` is its seq: only the tag and the
# shift's id (a UUID) come before it.
_SEQ_ZERO = b'"seq":0'


class EventPointer(msgspec.Struct, frozen=True, kw_only=True, tag="pointer"):
    shift_id: UUID
    seq: int


class WholeEvent(msgspec.Struct, frozen=True, kw_only=True, tag="event"):
    event: ShiftEvent


class RevokedCredentials(msgspec.Struct, frozen=True, kw_only=True, tag="revoked"):
    token_ids: tuple[UUID, ...]


Payload = WholeEvent | EventPointer | RevokedCredentials
# 100 ids of 38 bytes each: well within the cap.
_IDS_PER_PAYLOAD = 100

_encoder = msgspec.json.Encoder()
_decoder: msgspec.json.Decoder[Payload] = msgspec.json.Decoder(Payload)


def encode(event: ShiftEvent) -> str:
    head, tail = encode_around_seq(event)
    return f"{head}{event.seq}{tail}"


def encode_around_seq(event: NewEvent | ShiftEvent) -> tuple[str, str]:
    """The payload of ``event`` once numbered, as the text before and after its seq."""
    unnumbered = ShiftEvent(shift_id=event.shift_id, seq=0, at=event.at, data=event.data)
    payload = _encoder.encode(WholeEvent(event=unnumbered))
    if len(payload) - 1 + _SEQ_DIGITS > MAX_PAYLOAD_BYTES:
        payload = _encoder.encode(EventPointer(shift_id=event.shift_id, seq=0))
    at = payload.index(_SEQ_ZERO) + len(_SEQ_ZERO) - 1
    return payload[:at].decode(), payload[at + 1 :].decode()


def encode_revoked(token_ids: Sequence[UUID]) -> list[str]:
    """The payloads that tell every process these credentials were revoked."""
    return [
        _encoder.encode(
            RevokedCredentials(token_ids=tuple(token_ids[at : at + _IDS_PER_PAYLOAD]))
        ).decode()
        for at in range(0, len(token_ids), _IDS_PER_PAYLOAD)
    ]


def decode(payload: str) -> Payload:
    return _decoder.decode(payload)
