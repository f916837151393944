"""Pagination value objects shared by every list."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message

T = TypeVar("T")

MAX_PAGE_SIZE = 200
# Like every integer a client sends, an offset fits 32 bits; no list is near that long.
MAX_OFFSET = 2**31 - 1


class PageRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Which slice of a list to return; every way in gets the same bounds."""

    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise InvalidInput("limit", Message("input.between", {"low": 1, "high": MAX_PAGE_SIZE}))
        if not 0 <= self.offset <= MAX_OFFSET:
            raise InvalidInput("offset", Message("input.between", {"low": 0, "high": MAX_OFFSET}))


class Page(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    items: list[T]
    total: int
    limit: int
    offset: int

    @classmethod
    def of_list(cls, rows: list[T], page: PageRequest) -> Page[T]:
        """The ``page`` of ``rows``, a whole list already in its order, with their count."""
        return cls(
            items=rows[page.offset : page.offset + page.limit],
            total=len(rows),
            limit=page.limit,
            offset=page.offset,
        )
