"""Strawberry's HTTP view of the schema, which answers ``POST /api/v1/graphql``.

Made by a worker on its first GraphQL request (``controllers/graphql.py`` imports none of
this): Strawberry, graphql-core and the schema cost a worker about 10 MB that the
TruckKDS tablets' traffic never needs (``tests/entrypoints/test_worker_imports.py``).
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException as GraphQLHTTPError
from graphql import ExecutionResult
from litestar import Litestar, Request, Response
from litestar.background_tasks import BackgroundTasks
from strawberry.http import GraphQLHTTPResponse
from strawberry.litestar import make_graphql_controller

from fusionx.core.messages import Message
from fusionx.core.model.principals import OperatorPrincipal
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.auth import authenticated_principal
from fusionx.entrypoints.http.decoding import MalformedBody, decode_json
from fusionx.entrypoints.http.graphql_api.context import provide_context
from fusionx.entrypoints.http.graphql_api.errors import formatted
from fusionx.entrypoints.http.graphql_api.schema import build_schema
from fusionx.entrypoints.http.locales import request_locale
from fusionx.ports.translator import Translator


class GraphQLView:
    """Runs one request's operation through Strawberry: the body decoded as every JSON
    body is, errors written with ``translator`` in the reader's language."""

    def __init__(self, app: Litestar, translator: Translator) -> None:
        base = make_graphql_controller(
            build_schema(),
            graphql_ide=None,
            allow_queries_via_get=False,
            subscription_protocols=(),
        )

        class Strawberry(base):  # type: ignore[valid-type,misc]
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

        # Only its view's methods are used: it is never registered as a route.
        self._strawberry = Strawberry(owner=app)

    async def answer(
        self, request: Request[Any, Any, Any], principal: OperatorPrincipal, adapters: Adapters
    ) -> Response[Any]:
        # What Strawberry's controller has its dependencies provide: the context, with
        # the request and the response resolvers may add headers to.
        response: Response[Any] = Response({}, background=BackgroundTasks([]))
        context = await provide_context(principal, adapters)
        context.request, context.response = request, response
        strawberry = self._strawberry
        strawberry.temporal_response = response
        try:
            return await strawberry.run(request, context=context, root_value=None)  # type: ignore[no-any-return]
        except GraphQLHTTPError as error:
            raise MalformedBody(Message("graphql.malformed")) from error
