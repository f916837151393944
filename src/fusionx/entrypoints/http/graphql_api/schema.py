"""The schema: the ``Query`` root only (no mutation, no subscription), with its limits."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)

from fusionx.entrypoints.http.graphql_api.errors import log_unexpected
from fusionx.entrypoints.http.graphql_api.limits import MAX_TOKENS, QueryLimits
from fusionx.entrypoints.http.graphql_api.query import Query

DOCUMENTS_KEPT = 256


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
        # In this order: the brackets are counted (QueryLimits) before anything parses.
        extensions=[
            QueryLimits,
            partial(MaxTokensLimiter, MAX_TOKENS),
            DisableIntrospection,
            # A client sends the same few documents again and again: each is parsed and
            # validated once (a few hundred of them kept, by their text).
            partial(ParserCache, DOCUMENTS_KEPT),
            partial(ValidationCache, DOCUMENTS_KEPT),
        ],
    )


def schema_sdl() -> str:
    """The schema in GraphQL SDL, as ``docs/api/schema.graphql`` keeps it."""
    return build_schema().as_str() + "\n"
