"""Value rules that hold whichever door a value came in by (HTTP, CLI, seed)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable

from fusionx.core.errors import InvalidInput, InvalidInputs

_ADDRESS = r"[^@\s]+@[^@\s]+\.[^@\s]+"
_EMAIL = re.compile(rf"^{_ADDRESS}$")
_PHONE = re.compile(r"^\+?[0-9 ().-]{5,40}$")
MIN_PHONE_DIGITS = 5
# What ``require_email`` and ``require_phone`` accept, each as one pattern (they trim first).
EMAIL_INPUT_PATTERN = rf"^\s*{_ADDRESS}\s*$"
PHONE_INPUT_PATTERN = rf"^\s*(?=(?:[^0-9]*[0-9]){{{MIN_PHONE_DIGITS}}})\+?[0-9 ().-]{{5,40}}\s*$"
MIN_PASSWORD_LENGTH = 12
# Argon2 cost grows with input; a cap keeps a login request from becoming a CPU sink.
MAX_PASSWORD_LENGTH = 1024


def require_text(field: str, value: str, *, max_length: int = 200) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(field, "must not be empty")
    if len(cleaned) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return cleaned


def require_email(value: str, field: str = "email") -> str:
    cleaned = value.strip()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidInput(field, "is not a valid email address")
    return cleaned


def require_phone(value: str, field: str = "phone") -> str:
    cleaned = value.strip()
    if not _PHONE.match(cleaned) or sum(c.isdigit() for c in cleaned) < MIN_PHONE_DIGITS:
        raise InvalidInput(field, "is not a phone number")
    return cleaned


def require_password(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(value) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at most {MAX_PASSWORD_LENGTH} characters")
    return value


def require_timezone(value: str, field: str = "timezone") -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(field, f"{value!r} is not an IANA time zone") from None
    return value


def require_coordinates(latitude: float | None, longitude: float | None) -> None:
    """A valid pair or neither; every field in error is named."""
    InvalidInputs.raise_any(coordinate_mistakes(latitude, longitude))


def coordinate_mistakes(latitude: float | None, longitude: float | None) -> list[InvalidInput]:
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        return [InvalidInput(missing, "give both or neither")]
    errors = []
    if latitude is not None and not -90 <= latitude <= 90:
        errors.append(InvalidInput("latitude", "must be between -90 and 90"))
    if longitude is not None and not -180 <= longitude <= 180:
        errors.append(InvalidInput("longitude", "must be between -180 and 180"))
    return errors


def collect_mistakes(*checks: Callable[[], object]) -> None:
    """Run every check; raise what they found, naming every field in error at once."""
    errors: list[InvalidInput] = []
    for check in checks:
        try:
            check()
        except InvalidInputs as several:
            errors.extend(several.errors)
        except InvalidInput as error:
            errors.append(error)
    InvalidInputs.raise_any(errors)
