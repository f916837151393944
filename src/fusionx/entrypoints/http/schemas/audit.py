"""The audit trail on the wire: one record per privileged change, newest first."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from fusionx.core.model.fleet_events import FleetEvent, FleetEventType, StreamKind, subject_of
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.actors import ActorView
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime


class SubjectView(msgspec.Struct, frozen=True, kw_only=True):
    """What the change is about: ``truck``, ``menu_item``, ``order``… and its id."""

    type: str
    id: str | None


class AuditRecordView(msgspec.Struct, frozen=True, kw_only=True):
    """Who (``actor``: none when the system did it), from where (``address``,
    ``request_id``: none when not over HTTP), when, on what (``truck_id``: none for the
    fleet's own changes; ``subject``), and the change itself (``data``: the event's
    fields, ``before`` and ``after`` where something changed). Text in ``data`` is as
    its author typed it: escape it before printing it anywhere but JSON."""

    stream: str
    seq: int
    action: FleetEventType
    at: UtcDateTime
    actor: ActorView | None
    address: str | None
    request_id: str | None
    truck_id: UUID | None
    subject: SubjectView
    data: dict[str, Any]

    @classmethod
    def of(cls, event: FleetEvent) -> AuditRecordView:
        subject = subject_of(event.data)
        data = msgspec.to_builtins(event.data)
        data.pop("type", None)
        return cls(
            stream=event.stream.key,
            seq=event.seq,
            action=event.type,
            at=event.at,
            actor=None if event.actor is None else ActorView.of(event.actor),
            address=event.origin.address,
            request_id=event.origin.request_id,
            truck_id=event.stream.truck_id if event.stream.kind is StreamKind.TRUCK else None,
            subject=SubjectView(type=subject.type, id=subject.id),
            data=data,
        )


class AuditPage(PageView, frozen=True, kw_only=True):
    items: list[AuditRecordView]
    view = AuditRecordView.of
