"""Which fields a Litestar ``ValidationException`` complains about, in a client's terms."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from litestar.exceptions import ValidationException

from fusionx.entrypoints.http.schemas.problems import FieldError

_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_AT_PATH = re.compile(r" - at `\$\.([^`]*)`")


def field_errors(error: ValidationException) -> list[FieldError]:
    """Name each bad field from Litestar's ``extra`` (key, message) or msgspec's path."""
    items = error.extra if isinstance(error.extra, list) else []
    errors = [_field_error(item) for item in items if isinstance(item, dict)]
    if not errors and isinstance(error.__cause__, KeyError):  # an absent required parameter
        errors = [FieldError(field=str(error.__cause__.args[0]), message="is required")]
    if not errors and error.__cause__ is not None:
        errors = [_field_error({"message": str(error.__cause__)})]
    return errors


def _field_error(item: Mapping[str, Any]) -> FieldError:
    """One of Litestar's ``{"key", "message", "source"}`` items as a FieldError.

    The body is the parameter ``data``: its fields come as ``data.x`` or plain ``x``,
    and ``data`` alone means the body as a whole.
    """
    raw = str(item.get("message", ""))
    message = raw.split(" - at `", 1)[0]
    key = str(item.get("key", ""))
    if not key and (at := _AT_PATH.search(raw)):
        key = at[1]
    path = "" if key == "data" else key.removeprefix("data.")
    if missing := _MISSING_FIELD.search(message):
        path = f"{path}.{missing[1]}" if path else missing[1]
        message = "is required"
    elif message == f"'{key}'":  # how Litestar reports an absent parameter (a KeyError)
        message = "is required"
    return FieldError(field=path or "body", message=message.replace("`", "") or "is invalid")
