"""The audit trail as lines of text, for the command line: one record a line, whatever
its users wrote (see ``text_safety``)."""

from __future__ import annotations

import msgspec

from fusionx.core.model.fleet_events import FleetEvent, subject_of
from fusionx.entrypoints.text_safety import escape_controls, escape_json


def audit_line(event: FleetEvent) -> str:
    """``<at> <stream>#<seq> <type> by <actor> from <address> [<request id>] on
    <subject>: <data as JSON>``, with nothing in it able to end the line: the data is
    JSON (whose escapes cover what users typed), the rest escaped as text."""
    actor = "system" if event.actor is None else f"{event.actor.kind.value}:{event.actor.id}"
    subject = subject_of(event.data)
    on = subject.type if subject.id is None else f"{subject.type}:{subject.id}"
    data = escape_json(msgspec.json.encode(event.data).decode())
    head = (
        f"{event.at.isoformat()} {event.stream.key}#{event.seq} {event.type.value} by {actor}"
        f" from {event.origin.address or '-'} [{event.origin.request_id or '-'}] on {on}"
    )
    return f"{escape_controls(head)}: {data}"
