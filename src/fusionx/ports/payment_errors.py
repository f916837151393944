"""What a payment gateway's refusals and failures mean, whatever its wire format says.

Adapters translate their gateway's error answers into these; use cases decide what each
means for an order or a refund. Only ``GatewayUnavailable`` is worth retrying, with the
same idempotency key, so a request that did reach the gateway is not done twice.
"""

from __future__ import annotations


class PaymentGatewayError(Exception):
    """Base of the gateway's answers that are not a success. ``code`` is the gateway's own
    (e.g. ``card_declined``), kept for the record; ``str(error)`` is its message."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class PaymentDeclined(PaymentGatewayError):
    """The gateway or the customer's bank said no: asking again will not change that."""


class InvalidPaymentRequest(PaymentGatewayError):
    """The gateway refused what we sent; ``field`` names the parameter at fault, if said."""

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


class GatewayUnavailable(PaymentGatewayError):
    """No answer, a timeout, a rate limit or a server error: the outcome is unknown, and
    the same request (same idempotency key) may be sent again."""
