"""The query parameters every paginated list takes, the page they ask for, and the
page every such list returns."""

from __future__ import annotations

from typing import Annotated, Any, Self

import msgspec
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from fusionx.core.model.paging import MAX_OFFSET, MAX_PAGE_SIZE, Page, PageRequest

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Page size")]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="Items to skip")]

# ``limit`` and ``offset`` as one ``PageRequest``: a list handler asks for ``page: Paging``.
Paging = NamedDependency[PageRequest]


def provide_page(limit: Limit = 50, offset: Offset = 0) -> PageRequest:
    """The ``page`` dependency; its parameters are documented on each list that takes it."""
    return PageRequest(limit=limit, offset=offset)


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
