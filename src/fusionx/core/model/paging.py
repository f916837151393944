"""Pagination value objects shared by every list."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

from fusionx.core.errors import InvalidInput

T = TypeVar("T")

MAX_PAGE_SIZE = 200


class PageRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Which slice of a list to return; every way in gets the same bounds."""

    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise InvalidInput("limit", f"must be between 1 and {MAX_PAGE_SIZE}")
        if self.offset < 0:
            raise InvalidInput("offset", "must not be negative")


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
