"""The schema: the ``Query`` root only (no mutation, no subscription), with its limits."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter

from fusionx.entrypoints.http.graphql_api.errors import log_unexpected
from fusionx.entrypoints.http.graphql_api.limits import MAX_TOKENS, QueryLimits
from fusionx.entrypoints.http.graphql_api.query import Query


class ReadSchema(strawberry.Schema):
    """Strawberry logs every error; a refused or forbidden request is not ours to log."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        del execution_context
        log_unexpected(errors)


def build_schema() -> strawberry.Schema:
    """The read side's schema. Introspection is off: the schema is published as SDL
    (``docs/api/schema.graphql``), and an introspection query's cost has no bound."""
    return ReadSchema(
        query=Query,
        extensions=[
            partial(MaxTokensLimiter, MAX_TOKENS),
            DisableIntrospection,
            QueryLimits,
        ],
    )


def schema_sdl() -> str:
    """The schema in GraphQL SDL, as ``docs/api/schema.graphql`` keeps it."""
    return build_schema().as_str() + "\n"
