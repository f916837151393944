"""``POST /api/v1/graphql``: the read side as GraphQL, answered by Strawberry's view
(``graphql_api.view``), which a worker loads on its first GraphQL request.

Authenticated as every fleet route is (the ``principal`` the handler declares: one
authentication read, before anything else), rate-limited as the public routes are, and
deaf to ``Idempotency-Key`` (it only reads: there is nothing to keep). No
GET, no WebSocket, no IDE: queries only, in a POST. Errors are written by
``graphql_api.errors`` in the reader's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Controller, Request, Response, post
from litestar.params import JSONBody

from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import AppAdapters
from fusionx.entrypoints.http.idempotency import READS_ONLY
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
from fusionx.entrypoints.http.schemas.graphql import GraphQLBody
from fusionx.ports.translator import Translator

if TYPE_CHECKING:
    from fusionx.entrypoints.http.graphql_api.view import GraphQLView

PATH = "/api/v1/graphql"
DESCRIPTION = (
    "A GraphQL query over the read side (`docs/graphql.md`; the schema is "
    "`docs/api/schema.graphql`). The answer is a GraphQL response: a field the caller "
    "may not read is null with an error whose `extensions.code` says why (`FORBIDDEN`, "
    "`NOT_FOUND`, `BAD_USER_INPUT`), as the REST route of the same read would answer."
)


def graphql_controller(translator: Translator) -> type[Controller]:
    """The controller serving the read side's schema, its errors rendered with
    ``translator``. Strawberry and the schema are loaded by the first request."""

    class GraphQLController(Controller):
        path = PATH
        tags = ("graphql",)
        security = BEARER
        opt = {**PUBLIC_RATE_LIMIT, **READS_ONLY}  # noqa: RUF012 - declared per instance
        _view: GraphQLView | None = None

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
            principal: CurrentPrincipal,
            adapters: AppAdapters,
            data: JSONBody[GraphQLBody],
        ) -> Response[Any]:
            del data  # checked before the handler runs; Strawberry reads the body itself
            if self._view is None:
                from fusionx.entrypoints.http.graphql_api.view import (  # noqa: PLC0415
                    GraphQLView,
                )

                self._view = GraphQLView(request.app, translator)
            return await self._view.answer(request, principal, adapters)

    return GraphQLController
