"""Domain errors. Each maps to exactly one HTTP problem type, in one table at the edge.

Every error carries a ``Message`` (a catalogue key and its parameters), never a sentence:
the edge renders it in the reader's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fusionx.core.messages import Message


class DomainError(Exception):
    """Base of every error the core raises on purpose; ``detail`` says what went wrong."""

    def __init__(self, detail: Message) -> None:
        super().__init__(str(detail))
        self.detail = detail


class InvalidInput(DomainError):
    """A value passed the wire format but breaks a business rule; ``field`` names it."""

    def __init__(self, field: str, message: Message) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# What may be not found, each a noun in the catalogues.
Resource = Literal[
    "device",
    "export",
    "location",
    "menu category",
    "menu item",
    "modifier group",
    "notification",
    "open shift of truck",
    "order",
    "refund",
    "review",
    "session",
    "shift",
    "staff member",
    "ticket",
    "tracking link",
    "truck",
    "webhook delivery",
    "webhook endpoint",
]
_RESOURCE_NOUNS: dict[str, Message] = {
    "device": Message("resource.device"),
    "export": Message("resource.export"),
    "location": Message("resource.location"),
    "menu category": Message("resource.menu_category"),
    "menu item": Message("resource.menu_item"),
    "modifier group": Message("resource.modifier_group"),
    "notification": Message("resource.notification"),
    "open shift of truck": Message("resource.open_shift_of_truck"),
    "order": Message("resource.order"),
    "refund": Message("resource.refund"),
    "review": Message("resource.review"),
    "session": Message("resource.session"),
    "shift": Message("resource.shift"),
    "staff member": Message("resource.staff_member"),
    "ticket": Message("resource.ticket"),
    "tracking link": Message("resource.tracking_link"),
    "truck": Message("resource.truck"),
    "webhook delivery": Message("resource.webhook_delivery"),
    "webhook endpoint": Message("resource.webhook_endpoint"),
}


class InvalidInputs(InvalidInput):
    """Several values break business rules: ``errors`` names each (the first is this one's
    ``field`` and ``message``)."""

    def __init__(self, errors: tuple[InvalidInput, ...]) -> None:
        super().__init__(errors[0].field, errors[0].message)
        self.errors = errors

    @classmethod
    def raise_any(cls, errors: list[InvalidInput]) -> None:
        """Raise the one error, or all of them together; nothing when there is none."""
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise cls(tuple(errors))


class NotFound(DomainError):
    """The resource does not exist, or the caller may not know that it exists."""

    def __init__(self, resource: Resource, resource_id: object) -> None:
        noun = _RESOURCE_NOUNS[resource]
        super().__init__(Message("error.not_found", {"resource": noun, "id": str(resource_id)}))
        self.resource = resource
        self.resource_id = resource_id


class Conflict(DomainError):
    """The request clashes with the current state; ``context`` says with what."""

    def __init__(self, detail: Message, **context: Any) -> None:
        super().__init__(detail)
        self.context = context


class AuthenticationRequired(DomainError):
    """No valid credential: missing, unknown, expired or revoked."""


class InvalidCredentials(AuthenticationRequired):
    """Email and password do not match an active account (deliberately vague)."""

    def __init__(self) -> None:
        super().__init__(Message("error.invalid_credentials"))


class PermissionDenied(DomainError):
    """The caller is known but their role does not allow this action."""


class TooManyAttempts(DomainError):
    """A throttle refused the attempt; retry after ``retry_after_seconds``."""

    def __init__(self, detail: Message, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class InvalidSignature(DomainError):
    """A signed notification whose signature or timestamp does not check out."""


class NotConfigured(DomainError):
    """A feature needs a setting the operator has not given (e.g. a webhook secret)."""


class CapacityFull(DomainError):
    """An order would break a capacity limit (``limit``, at most ``maximum``).

    ``next_slot`` is the first pickup slot with room (when the shift has slots);
    ``retry_at`` when there is room again (``retry_after_seconds`` from now). Either
    may be None: an order larger than the limit itself never fits.
    """

    def __init__(
        self,
        detail: Message,
        *,
        limit: str,
        maximum: int,
        next_slot: tuple[datetime, datetime] | None = None,
        retry_at: datetime | None = None,
        retry_after_seconds: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.limit = limit
        self.maximum = maximum
        self.next_slot = next_slot
        self.retry_at = retry_at
        self.retry_after_seconds = retry_after_seconds


class RefundRefused(DomainError):
    """The payment gateway refused a refund: it is recorded as failed, nothing was given
    back. ``code`` is the gateway's, ``field`` the parameter it refused, if it said."""

    def __init__(
        self,
        detail: Message,
        *,
        refund_id: object,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.refund_id = refund_id
        self.code = code
        self.field = field


class RefundPending(DomainError):
    """The payment gateway could not be reached or did not answer: the refund is recorded
    as pending and holds its amount; retrying it (same refund id) refunds at most once."""

    def __init__(
        self, detail: Message, *, refund_id: object, retry_after_seconds: int = 30
    ) -> None:
        super().__init__(detail)
        self.refund_id = refund_id
        self.retry_after_seconds = retry_after_seconds
