"""RFC 9457 problem details, the body of every error response."""

from __future__ import annotations

import msgspec

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    """One bad input. ``field`` is a dotted path into the body, or a query or path parameter
    name; ``body`` means the body as a whole."""

    field: str
    message: str


class ProblemDetails(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An error, as RFC 9457 describes it.

    ``type`` is a relative URI reference such as ``/problems/not-found``, or ``about:blank``
    when the status code says it all. ``instance`` is the request path and ``request_id``
    the id echoed in ``X-Request-ID``: quote it when reporting a problem. Extension members
    appear only on the problem types that use them; a conflict may carry further members
    naming what it clashed with.
    """

    type: str
    title: str
    status: int
    detail: str
    instance: str
    request_id: str
    errors: list[FieldError] | msgspec.UnsetType = msgspec.UNSET
    retry_after: int | msgspec.UnsetType = msgspec.UNSET
    problems: list[str] | msgspec.UnsetType = msgspec.UNSET
