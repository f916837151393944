"""``POST /api/v1/graphql``: the read side as GraphQL (Strawberry's Litestar controller).

Authenticated as every fleet route is (the ``principal`` the handler declares: one
authentication read, before anything else), rate-limited as the public routes are, and
deaf to ``Idempotency-Key`` (it only reads: there is nothing to keep). No
GET, no WebSocket, no IDE: queries only, in a POST. Errors are written by
``graphql_api.errors`` in the reader's language.
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException as GraphQLHTTPError
from graphql import ExecutionResult
from litestar import Controller, Request, Response, post
from litestar.params import JSONBody
from strawberry.http import GraphQLHTTPResponse
from strawberry.litestar import make_graphql_controller
from strawberry.schema import BaseSchema

from fusionx.core.messages import Message
from fusionx.entrypoints.http.auth import CurrentPrincipal, authenticated_principal
from fusionx.entrypoints.http.decoding import MalformedBody, decode_json
from fusionx.entrypoints.http.graphql_api.context import provide_context
from fusionx.entrypoints.http.graphql_api.errors import formatted
from fusionx.entrypoints.http.idempotency import READS_ONLY
from fusionx.entrypoints.http.locales import request_locale
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
from fusionx.entrypoints.http.schemas.graphql import GraphQLBody
from fusionx.ports.translator import Translator

PATH = "/api/v1/graphql"
DESCRIPTION = (
    "A GraphQL query over the read side (`docs/graphql.md`; the schema is "
    "`docs/api/schema.graphql`). The answer is a GraphQL response: a field the caller "
    "may not read is null with an error whose `extensions.code` says why (`FORBIDDEN`, "
    "`NOT_FOUND`, `BAD_USER_INPUT`), as the REST route of the same read would answer."
)


def graphql_controller(schema: BaseSchema, translator: Translator) -> type[Controller]:
    """The controller serving ``schema``, its errors rendered with ``translator``."""
    base = make_graphql_controller(
        schema,
        path=PATH,
        graphql_ide=None,
        allow_queries_via_get=False,
        context_getter=provide_context,
        subscription_protocols=(),
    )

    class GraphQLController(base):  # type: ignore[valid-type,misc]
        tags = ("graphql",)
        security = BEARER
        opt = {**PUBLIC_RATE_LIMIT, **READS_ONLY}  # noqa: RUF012 - declared per instance
        # Queries in a POST only.
        handle_http_get = None
        websocket_endpoint = None

        @post(
            operation_id="queryGraphQL",
            summary="Run a GraphQL query over the read side",
            description=DESCRIPTION,
            status_code=200,
            responses=problem_responses(400, 401, 403, 413, 422, 429),
        )
        async def handle_http_post(
            self,
            *,
            request: Request[Any, Any, Any],
            context: Any,
            root_value: Any,
            response: Response[Any],
            principal: CurrentPrincipal,
            data: JSONBody[GraphQLBody],
        ) -> Response[Any]:
            del principal, data  # authenticated and checked before the handler runs
            self.temporal_response = response
            try:
                return await self.run(request, context=context, root_value=root_value)  # type: ignore[no-any-return]
            except GraphQLHTTPError as error:
                raise MalformedBody(Message("graphql.malformed")) from error

        def decode_json(self, data: str | bytes) -> object:
            return decode_json(data.encode() if isinstance(data, str) else data)

        async def process_result(
            self, request: Request[Any, Any, Any], result: ExecutionResult
        ) -> GraphQLHTTPResponse:
            shown: GraphQLHTTPResponse = {"data": result.data}
            if result.errors:
                principal = authenticated_principal(request.scope)
                locale = request_locale(translator, principal, request.headers)
                shown["errors"] = [formatted(e, translator, locale) for e in result.errors]
            return shown

    return GraphQLController
