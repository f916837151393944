"""The audit trail: the fleet's event streams read as a record of who changed what.

Each record says where the change came from (``Origin``: the client's address and the
request's id, handed to the unit of work by the entrypoint), what it changed (its
``subject``: a type and an id, found in the event's data) and chains to the record
before it on its stream: its ``hash`` covers a canonical encoding of the record and the
hash of its predecessor, so an edited, removed or reordered record breaks the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec

from fusionx.core.messages import Message

# The hash a stream's first record chains to.
GENESIS = "0" * 64


class Origin(msgspec.Struct, frozen=True, kw_only=True):
    """Where a change came from: ``None`` when unknown (the command line, a job)."""

    address: str | None = None
    request_id: str | None = None


class Subject(msgspec.Struct, frozen=True, kw_only=True):
    """What a change is about: ``truck`` and its id, ``menu_item`` and its id…"""

    type: str
    id: str | None = None


class AuditQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Which records to list; every filter is optional, times are [since, until).
    Which streams (a truck's, the fleet's) is said beside it."""

    actor_id: UUID | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    action: str | None = None  # a fleet event type
    since: datetime | None = None
    until: datetime | None = None


class ChainLink(msgspec.Struct, frozen=True, kw_only=True):
    """One stored record as the chain sees it: its stored hashes, and the hash its
    stored content has now (``recomputed``)."""

    seq: int
    prev_hash: str
    hash: str
    recomputed: str


class ChainBreak(msgspec.Struct, frozen=True, kw_only=True):
    """The first place a stream's chain does not hold."""

    stream: str
    seq: int
    reason: Message


def canonical(value: Any) -> Any:
    """``value`` as plain JSON values that encode alike whatever stored them: an
    integral float is an int (JSONB keeps ``1.0`` as ``1``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    return value


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 of the record's canonical JSON (sorted keys, no spaces, UTF-8); the
    record names its predecessor's hash as ``prev_hash``."""
    encoded = json.dumps(
        canonical(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(encoded.encode()).hexdigest()


def chain_fields(
    *,
    stream: str,
    seq: int,
    type: str,  # noqa: A002 - the column's name
    at: datetime,
    actor_kind: str | None,
    actor_id: UUID | str | None,
    address: str | None,
    request_id: str | None,
    data: Any,
    prev_hash: str,
) -> dict[str, Any]:
    """What a record's hash covers, as every backend stores it."""
    return {
        "stream": stream,
        "seq": seq,
        "type": type,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_kind": actor_kind,
        "actor_id": None if actor_id is None else str(actor_id),
        "address": address,
        "request_id": request_id,
        "data": data,
        "prev_hash": prev_hash,
    }


def first_break(
    stream: str, links: list[ChainLink], expected_seq: int, prev: str
) -> ChainBreak | None:
    """The first link of ``links`` (one page of a stream, in seq order, the page before
    ending at ``expected_seq - 1`` with hash ``prev``) that breaks the chain."""
    for link in links:
        if link.seq != expected_seq:
            return ChainBreak(
                stream=stream, seq=expected_seq, reason=Message("audit.chain.missing")
            )
        if link.prev_hash != prev:
            return ChainBreak(stream=stream, seq=link.seq, reason=Message("audit.chain.unlinked"))
        if link.recomputed != link.hash:
            return ChainBreak(stream=stream, seq=link.seq, reason=Message("audit.chain.edited"))
        expected_seq, prev = link.seq + 1, link.hash
    return None
