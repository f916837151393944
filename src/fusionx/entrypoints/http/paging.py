"""The query parameters every paginated list takes, and the page they ask for."""

from __future__ import annotations

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import QueryParameter

from fusionx.core.model.paging import MAX_OFFSET, MAX_PAGE_SIZE, PageRequest

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Page size")]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="Items to skip")]

# ``limit`` and ``offset`` as one ``PageRequest``: a list handler asks for ``page: Paging``.
Paging = NamedDependency[PageRequest]


def provide_page(limit: Limit = 50, offset: Offset = 0) -> PageRequest:
    """The ``page`` dependency; its parameters are documented on each list that takes it."""
    return PageRequest(limit=limit, offset=offset)
