"""Value rules for menu entries, whichever door they come in by."""

from __future__ import annotations

from collections.abc import Iterable

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.menu import AvailabilityWindow
from fusionx.core.rules.validation import require_text

MAX_PRICE_CENTS = 1_000_000
MAX_TAGS = 20
MAX_WINDOWS = 14
URL_SCHEME = "https://"
# What ``require_url`` accepts (it trims first), as a pattern.
URL_INPUT_PATTERN = r"^\s*https://"


def require_price(field: str, cents: int) -> int:
    if not 0 <= cents <= MAX_PRICE_CENTS:
        raise InvalidInput(field, Message("input.cents_range", {"high": MAX_PRICE_CENTS}))
    return cents


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Lower-case, trimmed, without repeats, sorted: "Gluten " and "gluten" are one tag."""
    cleaned = sorted(
        {require_text(f"tags[{i}]", tag, max_length=50).lower() for i, tag in enumerate(tags)}
    )
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput("tags", Message("menu.too_many_tags", {"count": MAX_TAGS}))
    return tuple(cleaned)


def require_windows(windows: Iterable[AvailabilityWindow]) -> tuple[AvailabilityWindow, ...]:
    checked = tuple(windows)
    if len(checked) > MAX_WINDOWS:
        raise InvalidInput("availability", Message("menu.too_many_windows", {"count": MAX_WINDOWS}))
    for index, window in enumerate(checked):
        if not window.days or not window.days <= set(range(1, 8)):
            raise InvalidInput(f"availability[{index}].days", Message("menu.weekdays"))
        if window.start == window.end:
            raise InvalidInput(f"availability[{index}].end", Message("menu.end_differs"))
    return checked


def require_url(field: str, url: str | None) -> str | None:
    if url is None:
        return None
    cleaned = require_text(field, url, max_length=500)
    if not cleaned.startswith(URL_SCHEME):
        raise InvalidInput(field, Message("input.https_url"))
    return cleaned
