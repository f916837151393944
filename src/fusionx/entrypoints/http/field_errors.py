"""Which fields a Litestar ``ValidationException`` complains about, in a client's terms."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from litestar.exceptions import ValidationException

from fusionx.core.messages import Message

_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_AT_PATH = re.compile(r" - at `\$\.([^`]*)`")
_EXPECTED = re.compile(r"Expected `?([^`]+?)`?, got `?([^`]+?)`?")


class BadField(NamedTuple):
    """One bad input, before it is rendered in the reader's language (``FieldError``)."""

    field: str
    message: Message


def field_errors(error: ValidationException) -> list[BadField]:
    """Name each bad field from Litestar's ``extra`` (key, message) or msgspec's path."""
    items = error.extra if isinstance(error.extra, list) else []
    errors = [_field_error(item) for item in items if isinstance(item, dict)]
    if not errors and isinstance(error.__cause__, KeyError):  # an absent required parameter
        errors = [BadField(field=str(error.__cause__.args[0]), message=Message("input.required"))]
    if not errors and error.__cause__ is not None:
        errors = [_field_error({"message": str(error.__cause__)})]
    return errors


def msgspec_message(text: str) -> Message:
    """msgspec's (English) complaint as a message: its common ones translated, the rest
    quoted as they are."""
    if expected := _EXPECTED.fullmatch(text):
        return Message("input.expected", {"expected": expected[1], "got": expected[2]})
    cleaned = text.replace("`", "")
    return Message("input.invalid_value", {"reason": cleaned}) if cleaned else INVALID


INVALID = Message("input.invalid")
REQUIRED = Message("input.required")


def _field_error(item: Mapping[str, Any]) -> BadField:
    """One of Litestar's ``{"key", "message", "source"}`` items as a BadField.

    The body is the parameter ``data``: its fields come as ``data.x`` or plain ``x``,
    and ``data`` alone means the body as a whole. Our own checks put a ``Message`` in
    ``message``; Litestar and msgspec put English text.
    """
    given = item.get("message", "")
    raw = "" if isinstance(given, Message) else str(given)
    message = raw.split(" - at `", 1)[0]
    key = str(item.get("key", ""))
    if not key and (at := _AT_PATH.search(raw)):
        key = at[1]
    path = "" if key == "data" else key.removeprefix("data.")
    if isinstance(given, Message):
        said = given
    elif missing := _MISSING_FIELD.search(message):
        path = f"{path}.{missing[1]}" if path else missing[1]
        said = REQUIRED
    elif message == f"'{key}'":  # how Litestar reports an absent parameter (a KeyError)
        said = REQUIRED
    else:
        said = msgspec_message(message)
    return BadField(path or "body", said)
