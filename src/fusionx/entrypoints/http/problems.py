"""Every error becomes an RFC 9457 problem, here and only here.

``EXCEPTION_PROBLEMS`` is the one table from exceptions (domain errors and Litestar's own)
to problems. An exception takes the row of the nearest class in its MRO, so a subclass may
refine its parent's row (``InvalidCredentials`` under ``AuthenticationRequired``), and
anything unforeseen ends at ``Exception``: a 500 that shows nothing but the request id
while the traceback goes to the log.

A ``Problem``'s ``title`` and ``detail`` (and the messages of its field errors) are
``Message``s: ``problem_response`` renders them in the reader's language, the staff
member's choice else ``Accept-Language`` else English, and says which in
``Content-Language``. Only failing requests pay for that.
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
    RefundPending,
    RefundRefused,
    TooManyAttempts,
)
from fusionx.core.messages import Message
from fusionx.entrypoints.http.auth import authenticated_principal
from fusionx.entrypoints.http.decoding import InvalidFields, MalformedBody
from fusionx.entrypoints.http.field_errors import BadField, field_errors
from fusionx.entrypoints.http.idempotency import IdempotencyInFlight, IdempotencyKeyReused
from fusionx.entrypoints.http.locales import request_locale
from fusionx.entrypoints.http.rate_limits import RateLimited, rate_limit_headers
from fusionx.entrypoints.http.request_context import request_id_of
from fusionx.entrypoints.http.schemas.problems import PROBLEM_MEDIA_TYPE, FieldError, ProblemDetails
from fusionx.ports.email_sender import EmailNotSent
from fusionx.ports.errors import StorageBusy, StorageUnavailable
from fusionx.ports.payment_errors import GatewayUnavailable, InvalidPaymentRequest, PaymentDeclined
from fusionx.ports.translator import Translator

_log = structlog.stdlib.get_logger("fusionx.http")

# A conflict's context must not overwrite the standard members.
_RESERVED = frozenset(ProblemDetails.__struct_fields__)
_INTERNAL_DETAIL = Message("problem.internal")
# The statuses a client meets, each with a title and a detail of its own.
_STATUS_TEXTS: Mapping[int, tuple[Message, Message]] = {
    400: (Message("http.400.title"), Message("http.400.detail")),
    401: (Message("http.401.title"), Message("http.401.detail")),
    403: (Message("http.403.title"), Message("http.403.detail")),
    404: (Message("http.404.title"), Message("http.404.detail")),
    405: (Message("http.405.title"), Message("http.405.detail")),
    406: (Message("http.406.title"), Message("http.406.detail")),
    409: (Message("http.409.title"), Message("http.409.detail")),
    413: (Message("http.413.title"), Message("http.413.detail")),
    415: (Message("http.415.title"), Message("http.415.detail")),
    429: (Message("http.429.title"), Message("http.429.detail")),
    500: (Message("http.500.title"), _INTERNAL_DETAIL),
    503: (Message("http.503.title"), Message("http.503.detail")),
}


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
    title: Message
    detail: Message
    headers: Mapping[str, str] = field(default_factory=dict)
    # Rendered for the reader too where they hold Messages or field errors.
    extensions: Mapping[str, Any] = field(default_factory=dict)


def _plain(
    status: int, detail: Message | None = None, headers: Mapping[str, str] | None = None
) -> Problem:
    """A problem the status code says everything about (RFC 9457 ``about:blank``)."""
    phrase = Message("http.other", {"phrase": HTTPStatus(status).phrase})
    title, default = _STATUS_TEXTS.get(status, (phrase, phrase))
    return Problem(
        status=status,
        type="about:blank",
        title=title,
        detail=detail or default,
        headers=headers or {},
    )


def _invalid_input(error: InvalidInput) -> Problem:
    return _validation_failed([BadField(error.field, error.message)])


def _invalid_inputs(error: InvalidInputs) -> Problem:
    return _validation_failed([BadField(e.field, e.message) for e in error.errors])


def _validation_failed(errors: list[BadField]) -> Problem:
    fields = ", ".join(sorted({error.field for error in errors}))
    return Problem(
        status=422,
        type="/problems/validation-failed",
        title=Message("problem.validation.title"),
        detail=Message("problem.validation.detail", {"fields": fields})
        if fields
        else Message("problem.validation.detail_request"),
        extensions={"errors": errors},
    )


def _litestar_validation(error: ValidationException) -> Problem:
    return _validation_failed(field_errors(error))


def _invalid_fields(error: InvalidFields) -> Problem:
    return _validation_failed(error.errors)


def _malformed(detail: Message) -> Problem:
    return Problem(
        status=400,
        type="/problems/malformed-body",
        title=Message("problem.malformed.title"),
        detail=detail,
    )


def _http_error(error: HTTPException) -> Problem:
    if error.status_code >= 500:
        return _plain(error.status_code, _INTERNAL_DETAIL)
    if isinstance(error.__cause__, SerializationException):
        return _malformed(Message("body.not_json"))
    # Litestar's own wording is English: the status's text stands in for it.
    return _plain(error.status_code, headers=error.headers)


def _unexpected(_: Exception) -> Problem:
    return _plain(500, _INTERNAL_DETAIL)


def _not_found(error: NotFound) -> Problem:
    return Problem(
        status=404,
        type="/problems/not-found",
        title=Message("problem.not_found.title"),
        detail=error.detail,
    )


def _conflict(error: Conflict) -> Problem:
    extensions = {k: v for k, v in error.context.items() if k not in _RESERVED}
    return Problem(
        status=409,
        type="/problems/conflict",
        title=Message("problem.conflict.title"),
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
        title=Message("problem.capacity_full.title"),
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
        title=Message("problem.authentication_required.title"),
        detail=error.detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def _invalid_credentials(error: InvalidCredentials) -> Problem:
    metrics().sign_in_failures.inc()
    return Problem(
        status=401,
        type="/problems/invalid-credentials",
        title=Message("problem.invalid_credentials.title"),
        detail=error.detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def _permission_denied(error: PermissionDenied) -> Problem:
    return Problem(
        status=403,
        type="/problems/permission-denied",
        title=Message("problem.permission_denied.title"),
        detail=error.detail,
    )


def _too_many_attempts(error: TooManyAttempts) -> Problem:
    metrics().sign_in_throttled.inc()
    seconds = error.retry_after_seconds
    return Problem(
        status=429,
        type="/problems/too-many-attempts",
        title=Message("problem.too_many_attempts.title"),
        detail=Message("problem.retry_in", {"reason": error.detail, "count": seconds}),
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
        title=Message("rate_limit.title"),
        detail=Message("rate_limit.exceeded", {"count": seconds}),
        headers={"Retry-After": str(seconds), **rate_limit_headers(decision)},
        extensions={"retry_after": seconds},
    )


def _invalid_signature(error: InvalidSignature) -> Problem:
    return Problem(
        status=401,
        type="/problems/invalid-signature",
        title=Message("problem.invalid_signature.title"),
        detail=error.detail,
        headers={"WWW-Authenticate": 'HMAC-SHA256 realm="payments"'},
    )


def _not_configured(error: NotConfigured) -> Problem:
    # The operator's to fix; a sender that retries later will get through once fixed.
    return Problem(
        status=503,
        type="/problems/not-configured",
        title=Message("problem.not_configured.title"),
        detail=error.detail,
        headers={"Retry-After": "300"},
    )


def _storage_unavailable(_: StorageUnavailable) -> Problem:
    # Transient by nature (failover, restart): tell clients to retry rather than give up.
    return Problem(
        status=503,
        type="/problems/storage-unavailable",
        title=Message("problem.storage_unavailable.title"),
        detail=Message("problem.storage_unavailable.detail"),
        headers={"Retry-After": "5"},
    )


def _storage_busy(_: StorageBusy) -> Problem:
    # The request lost a lock race and was undone whole: the same request again is safe.
    return Problem(
        status=503,
        type="/problems/storage-busy",
        title=Message("problem.storage_busy.title"),
        detail=Message("problem.storage_busy.detail"),
        headers={"Retry-After": "1"},
    )


def _refund_refused(error: RefundRefused) -> Problem:
    # Our request was fine; the gateway behind us said no. The refund is kept as failed.
    extensions: dict[str, Any] = {"refund_id": str(error.refund_id), "status": "failed"}
    if error.code:
        extensions["gateway_code"] = error.code
    if error.field:
        extensions["field"] = error.field
    return Problem(
        status=502,
        type="/problems/refund-failed",
        title=Message("problem.refund_failed.title"),
        detail=error.detail,
        extensions=extensions,
    )


def _refund_pending(error: RefundPending) -> Problem:
    seconds = error.retry_after_seconds
    return Problem(
        status=503,
        type="/problems/refund-pending",
        title=Message("problem.refund_pending.title"),
        detail=error.detail,
        headers={"Retry-After": str(seconds)},
        extensions={"refund_id": str(error.refund_id), "status": "pending"},
    )


def _gateway_unavailable(_: GatewayUnavailable) -> Problem:
    return Problem(
        status=503,
        type="/problems/payment-gateway-unavailable",
        title=Message("problem.gateway_unavailable.title"),
        detail=Message("problem.gateway_unavailable.detail"),
        headers={"Retry-After": "30"},
    )


def _payment_declined(error: PaymentDeclined) -> Problem:
    return Problem(
        status=402,
        type="/problems/payment-declined",
        title=Message("problem.payment_declined.title"),
        detail=Message("problem.payment_declined.detail", {"reason": str(error)}),
        extensions={"gateway_code": error.code} if error.code else {},
    )


def _payment_request_invalid(error: InvalidPaymentRequest) -> Problem:
    return Problem(
        status=502,
        type="/problems/payment-request-refused",
        title=Message("problem.payment_request_refused.title"),
        detail=Message("problem.payment_request_refused.detail", {"reason": str(error)}),
        extensions={"field": error.field} if error.field else {},
    )


def _email_not_sent(error: EmailNotSent) -> Problem:
    # Nothing was kept (the message goes out before the change commits): try again.
    return Problem(
        status=502,
        type="/problems/email-not-sent",
        title=Message("problem.email_not_sent.title"),
        detail=Message("problem.email_not_sent.detail", {"reason": str(error)}),
    )


def _key_reused(error: IdempotencyKeyReused) -> Problem:
    return Problem(
        status=422,
        type="/problems/idempotency-key-reused",
        title=Message("problem.idempotency_key_reused.title"),
        detail=error.detail,
    )


def _in_flight(error: IdempotencyInFlight) -> Problem:
    return Problem(
        status=409,
        type="/problems/idempotency-in-flight",
        title=Message("problem.idempotency_in_flight.title"),
        detail=error.detail,
        headers={"Retry-After": "1"},
    )


def _not_ready(error: NotReady) -> Problem:
    return Problem(
        status=503,
        type="/problems/not-ready",
        title=Message("problem.not_ready.title"),
        detail=Message("problem.not_ready.detail"),
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
    EmailNotSent: _email_not_sent,
    RefundRefused: _refund_refused,
    RefundPending: _refund_pending,
    GatewayUnavailable: _gateway_unavailable,
    PaymentDeclined: _payment_declined,
    InvalidPaymentRequest: _payment_request_invalid,
    IdempotencyKeyReused: _key_reused,
    IdempotencyInFlight: _in_flight,
    NotFoundException: lambda _: _plain(404, Message("http.404.path")),
    RequestEntityTooLarge: lambda _: _plain(413),
    HTTPException: _http_error,
    Exception: _unexpected,
}


def problem_responder(
    translator: Translator,
) -> Callable[[Request[Any, Any, Any], Exception], Response[Any]]:
    """The exception handler: each problem in the reader's language."""

    def problem_response(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        """The problem+json response for ``error``, logged with its traceback if it is ours."""
        problem = problem_for(error)
        if isinstance(error, StorageUnavailable):
            _log.warning("storage_unavailable", error=str(error))
        elif problem.status >= 500 and not isinstance(error, NotReady):
            _log.error("unhandled_exception", exc_info=error)
        locale = request_locale(translator, authenticated_principal(request.scope), request.headers)
        body = msgspec.to_builtins(
            ProblemDetails(
                type=problem.type,
                title=say(translator, problem.title, locale),
                status=problem.status,
                detail=say(translator, problem.detail, locale),
                instance=request.scope["path"],
                request_id=request_id_of(request.scope),
            )
        )
        extensions = {
            name: _rendered(value, translator, locale) for name, value in problem.extensions.items()
        }
        headers = {**problem.headers, "Content-Language": locale, "Vary": "Accept-Language"}
        return Response(
            content={**body, **extensions},
            status_code=problem.status,
            media_type=PROBLEM_MEDIA_TYPE,
            headers=headers,
        )

    return problem_response


def say(translator: Translator, said: Message, locale: str) -> str:
    """``said`` in ``locale``."""
    return translator.render(said, locale)


def _rendered(value: Any, translator: Translator, locale: str) -> Any:
    """An extension member as the client sees it: messages in ``locale``."""
    if isinstance(value, Message):
        return say(translator, value, locale)
    if isinstance(value, list) and value and isinstance(value[0], BadField):
        return [
            msgspec.to_builtins(
                FieldError(field=bad.field, message=say(translator, bad.message, locale))
            )
            for bad in value
        ]
    return value


def problem_for(error: Exception) -> Problem:
    for cls in type(error).__mro__:
        if cls in EXCEPTION_PROBLEMS:
            return EXCEPTION_PROBLEMS[cls](error)
    return _unexpected(error)  # pragma: no cover - Exception is in the table


def exception_handlers(translator: Translator) -> ExceptionHandlersMap:
    """One handler for everything: ``problem_response`` does the lookup in the table."""
    return {Exception: problem_responder(translator)}
