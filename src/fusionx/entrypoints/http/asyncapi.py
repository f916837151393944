"""The event stream's contract as an AsyncAPI 3 document, served at ``/schema/asyncapi.json``.

Everything in it comes from the types the stream uses: the payload of each event type
from ``schemas.stream.EVENT_DATA``, the control messages from ``schemas.events``, the
close codes from ``schemas.stream.CLOSE_CODES``.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import msgspec

from fusionx.core.model.events import EventType
from fusionx.entrypoints.http.schemas.events import Auth, Ping, Pong
from fusionx.entrypoints.http.schemas.stream import CLOSE_CODES, EVENT_DATA

CHANNEL = "shiftEvents"
ADDRESS = "/api/v1/shifts/{shift_id}/events"
_SCHEMAS = "#/components/schemas/"
_MESSAGES = "#/components/messages/"
_CONTROL = {"ping": Ping, "pong": Pong, "auth": Auth}
_SENT_BY_CLIENTS = {Pong.__name__, Auth.__name__}

_CONNECTING = """\
A shift's events, in order, each exactly once, then live: what a kitchen display
(TruckKDS) or a staff app follows. Connect to `ws(s)://<host>/api/v1/shifts/{shift_id}/events`
with `?last_seq=N`, the last `seq` the client holds (0, the default, for everything). The
server first sends every event after it from the shift's log, then live events; reconnect
with the last `seq` received and nothing is missed or repeated. Events are numbered 1, 2,
3… per shift with no gap.

**Authentication**: `Authorization: Bearer <token>` on the upgrade request (a staff session
token or a device credential). A browser, which cannot set headers, sends no header and
`{"type": "auth", "token": "<token>"}` as its first message, within 10 seconds. Tokens never
go in the URL. The credential is checked again at every ping, and the moment it is revoked
or expires: the stream then closes with 4401 within a second, whichever worker or instance
revoked it. One credential may hold a few streams per worker (4429 beyond); client messages
are small (1009 beyond the limit).

**Liveness**: the server sends `{"type": "ping"}` every 20 seconds; answer with
`{"type": "pong"}` (any message counts as a sign of life).

**Messages** are JSON text frames. Events carry `seq`; control messages do not. Unknown
event types may be added: skip them (after storing their `seq`).

**Close codes** (every connection is accepted, then a refusal closes it with a code a
browser can read):

| code | meaning |
|---|---|
"""


def asyncapi_document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the shift event stream."""
    payloads = [*EVENT_DATA.values(), *_CONTROL.values()]
    _, schemas = msgspec.json.schema_components(payloads, ref_template=_SCHEMAS + "{name}")
    for name, schema in schemas.items():
        # What the server sends is converted to these types first: nothing else is in it.
        if schema.get("type") == "object" and name not in _SENT_BY_CLIENTS:
            schema["additionalProperties"] = False
    messages = {event.value: _event_message(event) for event in EventType}
    messages |= {name: _control_message(kind) for name, kind in _CONTROL.items()}
    codes = "".join(f"| {code.value} | {meaning} |\n" for code, meaning in CLOSE_CODES.items())
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "FusionX shift event stream",
            "version": version("fusionx"),
            "description": _CONNECTING + codes,
        },
        "defaultContentType": "application/json",
        "channels": {
            CHANNEL: {
                "address": ADDRESS,
                "title": "A shift's events",
                "parameters": {"shift_id": {"description": "The shift's id (a UUID)"}},
                "messages": {name: {"$ref": _MESSAGES + name} for name in messages},
                "bindings": {"ws": _WS_BINDING},
            }
        },
        "operations": {
            "receiveShiftEvents": _operation("receive", [e.value for e in EventType], "Events"),
            "receivePing": _operation("receive", ["ping"], "The server's keep-alive"),
            "sendAuth": _operation("send", ["auth"], "The credential, for browsers"),
            "sendPong": _operation("send", ["pong"], "The answer to a ping"),
        },
        "components": {
            "messages": messages,
            "schemas": dict(sorted(schemas.items())),
            "x-close-codes": {str(code.value): meaning for code, meaning in CLOSE_CODES.items()},
        },
    }


_WS_BINDING = {
    "method": "GET",
    "query": {
        "type": "object",
        "properties": {
            "last_seq": {
                "type": "integer",
                "minimum": 0,
                "default": 0,
                "description": "The last seq the client holds; closed with 4400 if malformed",
            }
        },
    },
    "headers": {
        "type": "object",
        "properties": {
            "Authorization": {
                "type": "string",
                "pattern": "^Bearer .+$",
                "description": "Bearer <token>; without it, send an auth message first",
            }
        },
    },
    "bindingVersion": "0.1.0",
}


def _event_message(event: EventType) -> dict[str, Any]:
    data = EVENT_DATA[event]
    return {
        "name": event.value,
        "title": event.value,
        "summary": (data.__doc__ or event.value).split("\n\n")[0].strip(),
        "payload": {
            "type": "object",
            "required": ["shift_id", "seq", "type", "at", "data"],
            "additionalProperties": False,
            "properties": {
                "shift_id": {"type": "string", "format": "uuid"},
                "seq": {"type": "integer", "minimum": 1},
                "type": {"const": event.value},
                "at": {"type": "string", "format": "date-time"},
                "data": {"$ref": _SCHEMAS + data.__name__},
            },
        },
    }


def _control_message(kind: type[msgspec.Struct]) -> dict[str, Any]:
    name = kind.__struct_config__.tag
    return {
        "name": name,
        "title": name,
        "summary": (kind.__doc__ or "").strip(),
        "payload": {"$ref": _SCHEMAS + kind.__name__},
    }


def _operation(action: str, messages: list[str], title: str) -> dict[str, Any]:
    return {
        "action": action,
        "title": title,
        "channel": {"$ref": f"#/channels/{CHANNEL}"},
        "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{name}"} for name in messages],
    }
