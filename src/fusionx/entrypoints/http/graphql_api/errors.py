"""GraphQL errors as the client reads them: the REST problem's detail, in the reader's
language, with a ``code`` extension (``FORBIDDEN``, ``NOT_FOUND``…) and, for a bad
argument, the ``field`` it names.

A domain error is looked up in the one table REST uses (``problems.problem_for``), so an
error means the same on both sides. An unexpected one is logged with its traceback and
shows nothing but that something went wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.utils.str_converters import to_camel_case

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.entrypoints.http.graphql_api.limits import QueryRefused
from fusionx.entrypoints.http.problems import problem_for
from fusionx.ports.translator import Translator

_log = structlog.stdlib.get_logger("fusionx.http")

# What a problem's status means as a GraphQL error code.
CODES: Mapping[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    422: "BAD_USER_INPUT",
    429: "RATE_LIMITED",
    503: "UNAVAILABLE",
}
INTERNAL = "INTERNAL_SERVER_ERROR"


def is_unexpected(error: GraphQLError) -> bool:
    """Whether ``error`` is a fault of ours (logged), not of the request."""
    original = error.original_error
    return (
        original is not None
        and not isinstance(original, QueryRefused | GraphQLError)
        and problem_for(original).status >= 500
    )


def log_unexpected(errors: list[GraphQLError]) -> None:
    for error in errors:
        if is_unexpected(error):
            _log.error("unhandled_exception", exc_info=error.original_error, path=error.path)


def formatted(error: GraphQLError, translator: Translator, locale: str) -> dict[str, Any]:
    """``error`` as the response's ``errors`` list shows it."""
    message, extensions = _meaning(error, translator, locale)
    shown: dict[str, Any] = {"message": message, "extensions": extensions}
    if error.locations is not None:
        shown["locations"] = [{"line": at.line, "column": at.column} for at in error.locations]
    if error.path is not None:
        shown["path"] = error.path
    return shown


def _meaning(
    error: GraphQLError, translator: Translator, locale: str
) -> tuple[str, dict[str, Any]]:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        # graphql-core's own words (a syntax error, an unknown field, a variable of the
        # wrong type): English, naming the part of the document at fault.
        code = (
            "GRAPHQL_PARSE_FAILED"
            if isinstance(error, GraphQLSyntaxError)
            else "GRAPHQL_VALIDATION_FAILED"
        )
        return error.message, {"code": code}
    if isinstance(original, QueryRefused):
        return translator.render(original.detail, locale), {"code": original.code}
    problem = problem_for(original)
    if problem.status >= 500 and problem.status != 503:
        return translator.render(Message("problem.internal"), locale), {"code": INTERNAL}
    extensions: dict[str, Any] = {"code": CODES.get(problem.status, INTERNAL)}
    if isinstance(original, InvalidInput):
        # The argument as the client wrote it: GraphQL's names are camelCase (toDate).
        extensions["field"] = to_camel_case(original.field)
    return translator.render(problem.detail, locale), extensions
