"""The page every paginated list returns: its items as views, and where the slice is."""

from __future__ import annotations

from typing import Any, Self

import msgspec

from fusionx.core.model.paging import Page


class PageView(msgspec.Struct, frozen=True, kw_only=True):
    """A list's page on the wire. Each list names its own, with its item type and ``view``
    (how one item is shown), so the document names each page as before:

    ``class CategoryPage(PageView, ...): items: list[CategoryView]; view = CategoryView.of``
    """

    items: list[Any]
    total: int
    limit: int
    offset: int

    @staticmethod
    def view(item: Any, /) -> Any:
        """How one item of the page is shown: each page says."""
        raise NotImplementedError

    @classmethod
    def of(cls, page: Page[Any]) -> Self:
        return cls(
            items=[cls.view(item) for item in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )
