"""Every error becomes an RFC 9457 problem, here and only here.

``EXCEPTION_PROBLEMS`` is the one table from exceptions (domain errors and Litestar's own)
to problems. An exception takes the row of the nearest class in its MRO, so a subclass may
refine its parent's row (``InvalidCredentials`` under ``AuthenticationRequired``), and
anything unforeseen ends at ``Exception``: a 500 that shows nothing but the request id
while the traceback goes to the log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    SerializationException,
    ValidationException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.types import ExceptionHandlersMap

from fusionx.adapters.observability.metrics import metrics
from fusionx.core.errors import (
    AuthenticationRequired,
    CapacityFull,
    Conflict,
    InvalidCredentials,
    InvalidInput,
    InvalidInputs,
    InvalidSignature,
    NotConfigured,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from fusionx.entrypoints.http.decoding import InvalidFields, MalformedBody
from fusionx.entrypoints.http.field_errors import field_errors
from fusionx.entrypoints.http.idempotency import IdempotencyInFlight, IdempotencyKeyReused
from fusionx.entrypoints.http.rate_limit_texts import RATE_LIMITED, RATE_LIMITED_TITLE
from fusionx.entrypoints.http.rate_limits import RateLimited, rate_limit_headers
from fusionx.entrypoints.http.request_context import request_id_of
from fusionx.entrypoints.http.schemas.problems import PROBLEM_MEDIA_TYPE, FieldError, ProblemDetails
from fusionx.ports.errors import StorageBusy, StorageUnavailable
from fusionx.ports.refund_gateway import RefundFailed

_log = structlog.stdlib.get_logger("fusionx.http")

# A conflict's context must not overwrite the standard members.
_RESERVED = frozenset(ProblemDetails.__struct_fields__)
_INTERNAL_DETAIL = "Something went wrong on our side. Quote the request_id when reporting it."


class NotReady(Exception):
    """The service cannot do useful work yet; ``problems`` says why (for readiness probes)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, kw_only=True)
class Problem:
    """What an exception means to a client, before the request-specific members are added."""

    status: int
    type: str
    title: str
    detail: str
    headers: Mapping[str, str] = field(default_factory=dict)
    extensions: Mapping[str, Any] = field(default_factory=dict)


def _plain(status: int, detail: str = "", headers: Mapping[str, str] | None = None) -> Problem:
    """A problem the status code says everything about (RFC 9457 ``about:blank``)."""
    phrase = HTTPStatus(status).phrase
    return Problem(
        status=status,
        type="about:blank",
        title=phrase,
        detail=detail or phrase,
        headers=headers or {},
    )


def _invalid_input(error: InvalidInput) -> Problem:
    return _validation_failed([FieldError(field=error.field, message=error.message)])


def _invalid_inputs(error: InvalidInputs) -> Problem:
    return _validation_failed([FieldError(field=e.field, message=e.message) for e in error.errors])


def _validation_failed(errors: list[FieldError]) -> Problem:
    fields = ", ".join(sorted({error.field for error in errors})) or "the request"
    return Problem(
        status=422,
        type="/problems/validation-failed",
        title="Validation failed",
        detail=f"Some values are not acceptable: {fields}",
        extensions={"errors": [msgspec.to_builtins(error) for error in errors]},
    )


def _litestar_validation(error: ValidationException) -> Problem:
    return _validation_failed(field_errors(error))


def _invalid_fields(error: InvalidFields) -> Problem:
    return _validation_failed(error.errors)


def _malformed(detail: str) -> Problem:
    return Problem(
        status=400, type="/problems/malformed-body", title="Malformed body", detail=detail
    )


def _http_error(error: HTTPException) -> Problem:
    if error.status_code >= 500:
        return _plain(error.status_code, _INTERNAL_DETAIL)
    if isinstance(error.__cause__, SerializationException):
        return _malformed("The request body is not valid JSON")
    return _plain(error.status_code, error.detail, error.headers)


def _unexpected(_: Exception) -> Problem:
    return _plain(500, _INTERNAL_DETAIL)


def _not_found(error: NotFound) -> Problem:
    return Problem(status=404, type="/problems/not-found", title="Not found", detail=error.detail)


def _conflict(error: Conflict) -> Problem:
    extensions = {k: v for k, v in error.context.items() if k not in _RESERVED}
    return Problem(
        status=409,
        type="/problems/conflict",
        title="Conflict",
        detail=error.detail,
        extensions=extensions,
    )


def _capacity_full(error: CapacityFull) -> Problem:
    slot = error.next_slot
    seconds = error.retry_after_seconds
    headers = {} if seconds is None else {"Retry-After": str(seconds)}
    return Problem(
        status=409,
        type="/problems/capacity-full",
        title="Capacity full",
        detail=error.detail,
        headers=headers,
        extensions={
            "limit": error.limit,
            "maximum": error.maximum,
            "next_slot": None
            if slot is None
            else {"starts_at": _utc(slot[0]), "ends_at": _utc(slot[1])},
            "retry_at": None if error.retry_at is None else _utc(error.retry_at),
        },
    )


def _utc(moment: datetime) -> str:
    return msgspec.to_builtins(moment.astimezone(UTC))  # type: ignore[no-any-return]


def _unauthenticated(error: AuthenticationRequired) -> Problem:
    return Problem(
        status=401,
        type="/problems/authentication-required",
        title="Authentication required",
        detail=error.detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def _invalid_credentials(error: InvalidCredentials) -> Problem:
    metrics().sign_in_failures.inc()
    return Problem(
        status=401,
        type="/problems/invalid-credentials",
        title="Invalid credentials",
        detail=error.detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def _permission_denied(error: PermissionDenied) -> Problem:
    return Problem(
        status=403,
        type="/problems/permission-denied",
        title="Permission denied",
        detail=error.detail,
    )


def _too_many_attempts(error: TooManyAttempts) -> Problem:
    metrics().sign_in_throttled.inc()
    seconds = error.retry_after_seconds
    return Problem(
        status=429,
        type="/problems/too-many-attempts",
        title="Too many attempts",
        detail=f"{error.detail}; retry in {seconds} seconds",
        headers={"Retry-After": str(seconds)},
        extensions={"retry_after": seconds},
    )


def _rate_limited(error: RateLimited) -> Problem:
    metrics().rate_limited.inc()
    decision = error.decision
    seconds = decision.reset_after_seconds
    return Problem(
        status=429,
        type="/problems/rate-limited",
        title=RATE_LIMITED_TITLE.render(),
        detail=RATE_LIMITED.render(seconds=seconds),
        headers={"Retry-After": str(seconds), **rate_limit_headers(decision)},
        extensions={"retry_after": seconds},
    )


def _invalid_signature(error: InvalidSignature) -> Problem:
    return Problem(
        status=401,
        type="/problems/invalid-signature",
        title="Invalid signature",
        detail=error.detail,
        headers={"WWW-Authenticate": 'HMAC-SHA256 realm="payments"'},
    )


def _not_configured(error: NotConfigured) -> Problem:
    # The operator's to fix; a sender that retries later will get through once fixed.
    return Problem(
        status=503,
        type="/problems/not-configured",
        title="Not configured",
        detail=error.detail,
        headers={"Retry-After": "300"},
    )


def _storage_unavailable(_: StorageUnavailable) -> Problem:
    # Transient by nature (failover, restart): tell clients to retry rather than give up.
    return Problem(
        status=503,
        type="/problems/storage-unavailable",
        title="Storage unavailable",
        detail="The database cannot be reached right now; retry shortly",
        headers={"Retry-After": "5"},
    )


def _storage_busy(_: StorageBusy) -> Problem:
    # The request lost a lock race and was undone whole: the same request again is safe.
    return Problem(
        status=503,
        type="/problems/storage-busy",
        title="Busy",
        detail="A competing change to the same records won; nothing was changed, retry",
        headers={"Retry-After": "1"},
    )


def _refund_failed(error: RefundFailed) -> Problem:
    return Problem(
        status=502,
        type="/problems/refund-failed",
        title="Refund failed",
        detail=f"The payment gateway did not refund: {error}",
    )


def _key_reused(error: IdempotencyKeyReused) -> Problem:
    return Problem(
        status=422,
        type="/problems/idempotency-key-reused",
        title="Idempotency key reused",
        detail=str(error),
    )


def _in_flight(error: IdempotencyInFlight) -> Problem:
    return Problem(
        status=409,
        type="/problems/idempotency-in-flight",
        title="Request in flight",
        detail=str(error),
        headers={"Retry-After": "1"},
    )


def _not_ready(error: NotReady) -> Problem:
    return Problem(
        status=503,
        type="/problems/not-ready",
        title="Not ready",
        detail="The service cannot serve requests yet",
        extensions={"problems": error.problems},
    )


EXCEPTION_PROBLEMS: Mapping[type[Exception], Callable[[Any], Problem]] = {
    InvalidInput: _invalid_input,
    InvalidInputs: _invalid_inputs,
    ValidationException: _litestar_validation,
    InvalidFields: _invalid_fields,
    MalformedBody: lambda error: _malformed(error.detail),
    NotFound: _not_found,
    Conflict: _conflict,
    CapacityFull: _capacity_full,
    AuthenticationRequired: _unauthenticated,
    InvalidCredentials: _invalid_credentials,
    PermissionDenied: _permission_denied,
    TooManyAttempts: _too_many_attempts,
    RateLimited: _rate_limited,
    InvalidSignature: _invalid_signature,
    NotConfigured: _not_configured,
    NotReady: _not_ready,
    StorageBusy: _storage_busy,
    StorageUnavailable: _storage_unavailable,
    RefundFailed: _refund_failed,
    IdempotencyKeyReused: _key_reused,
    IdempotencyInFlight: _in_flight,
    NotFoundException: lambda _: _plain(404, "Nothing is found at this path"),
    RequestEntityTooLarge: lambda _: _plain(413, "The request body is larger than allowed"),
    HTTPException: _http_error,
    Exception: _unexpected,
}


def problem_response(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """The problem+json response for ``error``, logged with its traceback if it is ours."""
    problem = problem_for(error)
    if isinstance(error, StorageUnavailable):
        _log.warning("storage_unavailable", error=str(error))
    elif problem.status >= 500 and not isinstance(error, NotReady):
        _log.error("unhandled_exception", exc_info=error)
    body = msgspec.to_builtins(
        ProblemDetails(
            type=problem.type,
            title=problem.title,
            status=problem.status,
            detail=problem.detail,
            instance=request.scope["path"],
            request_id=request_id_of(request.scope),
        )
    )
    return Response(
        content={**body, **problem.extensions},
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(problem.headers),
    )


def problem_for(error: Exception) -> Problem:
    for cls in type(error).__mro__:
        if cls in EXCEPTION_PROBLEMS:
            return EXCEPTION_PROBLEMS[cls](error)
    return _unexpected(error)  # pragma: no cover - Exception is in the table


def exception_handlers() -> ExceptionHandlersMap:
    """One handler for everything: ``problem_response`` does the lookup in the table."""
    return {Exception: problem_response}
