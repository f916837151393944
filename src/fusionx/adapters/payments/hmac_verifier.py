"""The payment gateway's notification wire format, and checking its signature.

A notification is a POST whose raw body is JSON::

    {"id": "evt_3PqL…", "type": "payment.succeeded", "created": 1767614400,
     "data": {"order_id": "0192…", "amount_cents": 1900, "payment_id": "pi_3PqL…"}}

``payment_id`` (optional) is the gateway's id of the payment, which refunds name.

signed in the ``Payment-Signature`` header as ``t=<unix seconds>,v1=<hex>``, where the
hex is HMAC-SHA256, keyed with the shared secret, of ``<t>.<raw body>``. Several ``v1``
entries may be given (the gateway rotating its secret); one matching is enough.

That is Stripe's signature scheme exactly, and its ``Stripe-Signature`` header is read
too (other schemes it lists, such as ``v0``, are ignored, as Stripe advises). The body
is not Stripe's event: Stripe sends ``payment_intent.succeeded`` with the intent under
``data.object``; a relay (or a later adapter) maps it to the body above.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, TypeVar
from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput, InvalidSignature, NotConfigured
from fusionx.core.messages import Message
from fusionx.core.model.payments import (
    PaymentEvent,
    PaymentEventKind,
    PaymentNotification,
    UnhandledPaymentEvent,
)
from fusionx.ports.clock import Clock

SIGNATURE_HEADER = "payment-signature"
STRIPE_SIGNATURE_HEADER = "stripe-signature"
DEFAULT_TOLERANCE = timedelta(minutes=5)
# The gateway's event names for the events the core acts on.
_KINDS = {kind.value: kind for kind in PaymentEventKind}
_T = TypeVar("_T")
# Unix seconds in the year 5138: anything later is garbage, not a time.
_LATEST = 10**11
# The gateway's amounts are 64-bit integers; each is recorded as sent, however large.
MAX_AMOUNT_CENTS = 2**63 - 1
# The header's parts, in ASCII: anything else cannot match and is not compared.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_HEX_SIGNATURE = re.compile(r"[0-9a-f]{64}")
# The gateway's ids and type names: visible ASCII, as every gateway sends them.
_VISIBLE_ASCII = r"^[\x21-\x7e]+$"


class _Envelope(msgspec.Struct, frozen=True):
    id: Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=_VISIBLE_ASCII)]
    type: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=_VISIBLE_ASCII)]
    created: Annotated[int, msgspec.Meta(ge=0, le=_LATEST)]
    data: msgspec.Raw


class _OrderPayment(msgspec.Struct, frozen=True):
    order_id: UUID
    amount_cents: Annotated[int, msgspec.Meta(ge=0, le=MAX_AMOUNT_CENTS)]
    payment_id: (
        Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=_VISIBLE_ASCII)] | None
    ) = None


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``v1`` signature the gateway computes: what a sender must put in the header."""
    payload = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


class HmacPaymentNotificationVerifier:
    """``PaymentNotificationVerifier`` for the format above.

    The timestamp must be within ``tolerance`` of the clock either way (a replay of an
    old, validly signed notification is refused), and signatures are compared in
    constant time. Without a secret every notification is refused as not configured.
    """

    def __init__(
        self, secret: str | None, clock: Clock, tolerance: timedelta = DEFAULT_TOLERANCE
    ) -> None:
        self._secret = secret
        self._clock = clock
        self._tolerance = tolerance

    def verify(self, headers: Mapping[str, str], body: bytes) -> PaymentNotification:
        if not self._secret:
            raise NotConfigured(Message("payments.not_configured"))
        timestamp, signatures = _parse_header(
            headers.get(SIGNATURE_HEADER) or headers.get(STRIPE_SIGNATURE_HEADER)
        )
        sent_at = datetime.fromtimestamp(timestamp, UTC)
        if abs(self._clock.now() - sent_at) > self._tolerance:
            raise InvalidSignature(Message("payments.signature_stale"))
        expected = sign(self._secret, timestamp, body)
        # Check every candidate, so the time taken does not say which one matched.
        matches = [hmac.compare_digest(expected, candidate) for candidate in signatures]
        if not any(matches):
            raise InvalidSignature(Message("payments.signature_mismatch"))
        return _read(body)


def _parse_header(header: str | None) -> tuple[int, list[str]]:
    if not header:
        raise InvalidSignature(Message("payments.signature_missing", {"header": SIGNATURE_HEADER}))
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and _TIMESTAMP.fullmatch(value) and int(value) <= _LATEST:
            timestamp = int(value)
        elif key == "v1" and _HEX_SIGNATURE.fullmatch(value):
            signatures.append(value)
    if timestamp is None or not signatures:
        raise InvalidSignature(
            Message("payments.signature_malformed", {"header": SIGNATURE_HEADER})
        )
    return timestamp, signatures


def _read(body: bytes) -> PaymentNotification:
    envelope = _decode(body, _Envelope, "")
    kind = _KINDS.get(envelope.type)
    if kind is None:
        return UnhandledPaymentEvent(event_id=envelope.id, kind=envelope.type)
    data = _decode(envelope.data, _OrderPayment, "data")
    return PaymentEvent(
        event_id=envelope.id,
        kind=kind,
        order_id=data.order_id,
        amount_cents=data.amount_cents,
        occurred_at=datetime.fromtimestamp(envelope.created, UTC),
        payment_reference=data.payment_id,
    )


def _decode(raw: bytes, kind: type[_T], field: str) -> _T:
    """``raw`` as ``kind``, or 422 naming the field at fault (``field`` for all of it)."""
    try:
        return msgspec.json.decode(raw, type=kind)
    except msgspec.DecodeError as error:
        message, _, at = str(error).partition(" - at `$")
        name = ".".join(part for part in (field, at.rstrip("`").lstrip(".")) if part)
        raise InvalidInput(
            name or "body", Message("input.invalid_value", {"reason": message.replace("`", "")})
        ) from None
    except (UnicodeDecodeError, RecursionError):
        raise InvalidInput(field or "body", Message("input.not_json")) from None
