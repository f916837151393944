"""Text users wrote cannot forge a line where the trail is printed: the command line's
rendering and the console log escape every control character; JSON lines escape them
by themselves."""

from __future__ import annotations

import io
import json

import pytest
import structlog

from fusionx.core.model.actors import Actor
from fusionx.core.model.audit import Origin
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.fleet_events import FleetEvent, LocationCreated, Stream
from fusionx.entrypoints.audit_text import audit_line
from fusionx.entrypoints.logging import configure_logging
from fusionx.entrypoints.settings import LogFormat, Settings
from fusionx.entrypoints.text_safety import escape_controls
from tests.support.entities import T0, a_location, new_id

FAKE_LINE = '{"event": "request", "level": "info", "status": 200}'
HOSTILE = {
    "newline": f"Plaza\n{FAKE_LINE}",
    "carriage return": "Plaza\rforged line over the real one",
    "ANSI escape": "Plaza\x1b[2K\x1b[1Gforged",
    "8-bit CSI": "Plaza\x9b2Kforged",
    "line separator": "Plaza\u2028forged",
    "bidi override": "Plaza\u202edegrof",
    "fake JSON log line": f"Plaza\r\n{FAKE_LINE}\n",
    "backslash escape lookalike": "Plaza\\nnot a newline",
}
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))] + ["\u2028", "\u2029", "\u202e"]


def _safe(line: str) -> None:
    assert not any(char in line for char in CONTROLS), repr(line)


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_escaped_text_holds_no_control_character_and_reads_back_unambiguously(
    name: str,
) -> None:
    escaped = escape_controls(name)

    _safe(escaped)
    assert escaped.encode().decode("unicode_escape") == name  # nothing lost, nothing mixed


@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_an_audit_record_prints_on_one_line(name: str) -> None:
    event = FleetEvent(
        stream=Stream.fleet(),
        seq=1,
        at=T0,
        actor=Actor(kind=PrincipalKind.STAFF, id=new_id()),
        data=LocationCreated(location=a_location(name=name)),
        origin=Origin(address="203.0.113.9\x1b[0m", request_id="r1"),
    )

    line = audit_line(event)

    _safe(line)
    assert line.splitlines() == [line]
    assert "203.0.113.9\\x1b[0m" in line
    assert json.loads(line.split(": ", 1)[1])["location"]["name"] == name  # JSON as it was


@pytest.mark.parametrize("log_format", [LogFormat.CONSOLE, LogFormat.JSON])
@pytest.mark.parametrize("name", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_log_line_carrying_user_text_stays_one_line(name: str, log_format: LogFormat) -> None:
    stream = io.StringIO()
    configure_logging(Settings(log_format=log_format), stream)
    try:
        structlog.stdlib.get_logger("fusionx.test").info("renamed", name=name, reasons=[name])
    finally:
        configure_logging(Settings(), io.StringIO())

    output = stream.getvalue()
    assert output.count("\n") == 1, repr(output)
    assert output.endswith("\n")
    _safe(output.rstrip("\n"))
    if log_format is LogFormat.JSON:
        assert json.loads(output)["name"] == name
