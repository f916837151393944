"""Value rules that hold whichever door a value came in by (HTTP, CLI, seed)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable

from fusionx.core.errors import InvalidInput, InvalidInputs
from fusionx.core.messages import Message
from fusionx.core.rules.order_prices import MAX_TAX_RATE_BP

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
        raise InvalidInput(field, Message("input.empty"))
    if len(cleaned) > max_length:
        raise InvalidInput(field, Message("input.too_long", {"count": max_length}))
    return cleaned


def require_email(value: str, field: str = "email") -> str:
    cleaned = value.strip()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidInput(field, Message("input.email"))
    return cleaned


def require_phone(value: str, field: str = "phone") -> str:
    cleaned = value.strip()
    if not _PHONE.match(cleaned) or sum(c.isdigit() for c in cleaned) < MIN_PHONE_DIGITS:
        raise InvalidInput(field, Message("input.phone"))
    return cleaned


def require_password(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", Message("input.too_short", {"count": MIN_PASSWORD_LENGTH}))
    if len(value) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("password", Message("input.too_long", {"count": MAX_PASSWORD_LENGTH}))
    return value


def require_timezone(value: str, field: str = "timezone") -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(field, Message("input.timezone", {"value": value})) from None
    return value


def require_coordinates(latitude: float | None, longitude: float | None) -> None:
    """A valid pair or neither; every field in error is named."""
    InvalidInputs.raise_any(coordinate_mistakes(latitude, longitude))


def coordinate_mistakes(latitude: float | None, longitude: float | None) -> list[InvalidInput]:
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        return [InvalidInput(missing, Message("input.both_or_neither"))]
    errors = []
    if latitude is not None and not -90 <= latitude <= 90:
        errors.append(InvalidInput("latitude", Message("input.between", {"low": -90, "high": 90})))
    if longitude is not None and not -180 <= longitude <= 180:
        errors.append(
            InvalidInput("longitude", Message("input.between", {"low": -180, "high": 180}))
        )
    return errors


def require_tax_rate(rate_bp: int, field: str = "tax_rate_bp") -> int:
    """A tax rate in basis points: 0 (untaxed) to ``MAX_TAX_RATE_BP`` (100 %)."""
    if not 0 <= rate_bp <= MAX_TAX_RATE_BP:
        raise InvalidInput(field, Message("input.range", {"low": 0, "high": MAX_TAX_RATE_BP}))
    return rate_bp


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
