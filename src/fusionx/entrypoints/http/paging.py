"""The query parameters every paginated list takes."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

from fusionx.core.model.paging import MAX_OFFSET, MAX_PAGE_SIZE

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Page size")]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="Items to skip")]
