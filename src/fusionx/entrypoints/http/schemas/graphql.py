"""The GraphQL request body (``POST /api/v1/graphql``), as the GraphQL-over-HTTP spec
spells it; what the operation asks for is checked by the schema and its limits."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from fusionx.entrypoints.http.schemas.requests import RequestBody

MAX_QUERY_LENGTH = 10_000
MAX_OPERATION_NAME_LENGTH = 100

Query = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_QUERY_LENGTH)]
OperationName = Annotated[str, msgspec.Meta(max_length=MAX_OPERATION_NAME_LENGTH)]


class GraphQLBody(RequestBody, frozen=True, kw_only=True):
    """``variables``: the operation's variables by name; ``operationName``: which of the
    document's operations to run (needed when it holds several)."""

    query: Query
    variables: dict[str, Any] | None = None
    operation_name: OperationName | None = msgspec.field(default=None, name="operationName")
    extensions: dict[str, Any] | None = None
