"""A Stripe-compatible payment gateway client: payment intents and refunds over httpx.

``POST /v1/payment_intents`` and ``POST /v1/refunds`` take form-encoded bodies (nested
keys as ``metadata[order_id]``), ``Authorization: Bearer sk_...`` and an
``Idempotency-Key``; errors come back as ``{"error": {"type", "code", "message",
"param"}}`` and are translated into ``ports.payment_errors``. Every request carries an
idempotency key (or is a GET), so a timeout, a connection failure, a 429 or a 5xx is
retried a few times: the gateway answers a repeated key with its first answer.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any
from uuid import UUID

import httpx

from fusionx.ports.payment_errors import (
    GatewayUnavailable,
    InvalidPaymentRequest,
    PaymentDeclined,
    PaymentGatewayError,
)
from fusionx.ports.payment_gateway import IntentStatus, PaymentIntent, PaymentIntentRequest
from fusionx.ports.refund_gateway import RefundInstruction

DEFAULT_API_URL = "https://api.stripe.com"
# Stripe's intent states, in ours.
_STATUSES = {
    "requires_payment_method": IntentStatus.AWAITING_CUSTOMER,
    "requires_confirmation": IntentStatus.AWAITING_CUSTOMER,
    "requires_action": IntentStatus.AWAITING_CUSTOMER,
    "processing": IntentStatus.PROCESSING,
    "requires_capture": IntentStatus.PROCESSING,
    "succeeded": IntentStatus.SUCCEEDED,
    "canceled": IntentStatus.CANCELLED,
}
# A refund Stripe accepted: done, or under way at the bank (it cannot be taken back).
_REFUND_ACCEPTED = frozenset({"succeeded", "pending", "requires_action"})
# Ids that go into a URL path: Stripe's are letters, digits and underscores.
_GATEWAY_ID = re.compile(r"[A-Za-z0-9_]{1,255}")


class StripePaymentGateway:
    """``PaymentGateway`` and ``RefundGateway`` on Stripe's API (or one speaking it).

    ``attempts`` bounds how often one call is sent when the outcome is unknown; the
    pause between attempts doubles from ``backoff_seconds``.
    """

    def __init__(
        self,
        *,
        api_key: str,
        api_url: str = DEFAULT_API_URL,
        timeout_seconds: float = 10,
        attempts: int = 3,
        backoff_seconds: float = 0.5,
    ) -> None:
        self._attempts = max(1, attempts)
        self._backoff = backoff_seconds
        self._client = httpx.AsyncClient(
            base_url=api_url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout_seconds,
        )

    async def create_intent(self, request: PaymentIntentRequest) -> PaymentIntent:
        form = {
            "amount": request.amount_cents,
            "currency": request.currency,
            "metadata": {"order_id": request.order_id},
            "automatic_payment_methods": {"enabled": "true"},
        }
        answer = await self._send(
            "POST", "/v1/payment_intents", form=form, key=request.idempotency_key
        )
        return _intent(answer)

    async def get_intent(self, intent_id: str) -> PaymentIntent:
        return _intent(await self._send("GET", f"/v1/payment_intents/{_path_id(intent_id)}"))

    async def cancel_intent(self, intent_id: str) -> PaymentIntent:
        path = f"/v1/payment_intents/{_path_id(intent_id)}/cancel"
        return _intent(await self._send("POST", path, form={}, key=f"fusionx-cancel-{intent_id}"))

    async def refund(self, instruction: RefundInstruction) -> str:
        if not instruction.payment_reference:
            raise InvalidPaymentRequest(
                "The order has no payment at the gateway to refund", field="payment_intent"
            )
        form = {
            "payment_intent": instruction.payment_reference,
            "amount": instruction.amount_cents,
            "metadata": {
                "order_id": instruction.order_id,
                "refund_id": instruction.refund_id,
                "reason": instruction.reason,
            },
        }
        answer = await self._send("POST", "/v1/refunds", form=form, key=instruction.idempotency_key)
        status = str(answer.get("status", ""))
        if status not in _REFUND_ACCEPTED:
            reason = str(answer.get("failure_reason") or status or "unknown")
            raise PaymentDeclined(f"The refund {status or 'was not accepted'}", code=reason)
        return str(answer["id"])

    async def close(self) -> None:
        await self._client.aclose()

    async def _send(
        self, method: str, path: str, *, form: Mapping[str, Any] | None = None, key: str = ""
    ) -> dict[str, Any]:
        headers = {"Idempotency-Key": key} if key else {}
        content = encode_form(form) if form is not None else None
        if content is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(self._attempts):
            if attempt:
                await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
            try:
                response = await self._client.request(
                    method, path, content=content, headers=headers
                )
            except httpx.TimeoutException:
                failure: PaymentGatewayError = GatewayUnavailable(
                    "The gateway did not answer in time"
                )
                continue
            except httpx.TransportError as error:
                failure = GatewayUnavailable(
                    f"The gateway cannot be reached: {type(error).__name__}"
                )
                continue
            answer = _json(response)
            if response.is_success:
                return answer
            failure = _error(response, answer)
            if not _retryable(response, failure):
                raise failure
        raise failure


def encode_form(form: Mapping[str, Any]) -> str:
    """``form`` as Stripe reads it: nested mappings as ``outer[inner]=value``."""
    return str(httpx.QueryParams(list(_flatten(form, ""))))


def _flatten(form: Mapping[str, Any], prefix: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, value in form.items():
        key = f"{prefix}[{name}]" if prefix else name
        if isinstance(value, Mapping):
            pairs.extend(_flatten(value, key))
        else:
            pairs.append((key, str(value)))
    return pairs


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _error(response: httpx.Response, answer: dict[str, Any]) -> PaymentGatewayError:
    error = answer.get("error")
    error = error if isinstance(error, dict) else {}
    kind, param = error.get("type"), error.get("param")
    code = error.get("decline_code") or error.get("code")
    message = str(error.get("message") or f"The gateway answered HTTP {response.status_code}")
    status = response.status_code
    if kind == "card_error" or status == 402:
        return PaymentDeclined(message, code=code)
    if status in (401, 403):  # our key is wrong or revoked: fixed by the operator, not us
        return GatewayUnavailable(message, code=f"http_{status}")
    if kind == "idempotency_error":
        return InvalidPaymentRequest(message, field="Idempotency-Key", code=code)
    if status in (400, 404) or (kind == "invalid_request_error" and status < 500):
        return InvalidPaymentRequest(message, field=param, code=code)
    # 409 (a concurrent request with the key), 429, 5xx:
    # nothing was done, or we cannot tell; the same request may be sent again.
    return GatewayUnavailable(message, code=code or f"http_{status}")


def _retryable(response: httpx.Response, failure: PaymentGatewayError) -> bool:
    """Only an unknown outcome, and not a wrong key: a retry would be refused the same."""
    if not isinstance(failure, GatewayUnavailable) or response.status_code in (401, 403):
        return False
    return str(response.headers.get("stripe-should-retry", "true")) != "false"


def _intent(answer: dict[str, Any]) -> PaymentIntent:
    try:
        metadata = answer.get("metadata") or {}
        return PaymentIntent(
            id=str(answer["id"]),
            order_id=UUID(str(metadata["order_id"])),
            amount_cents=int(answer["amount"]),
            currency=str(answer["currency"]),
            status=_STATUSES[str(answer["status"])],
            client_secret=answer.get("client_secret"),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise GatewayUnavailable(f"The gateway's intent could not be read: {error!r}") from None


def _path_id(intent_id: str) -> str:
    if not _GATEWAY_ID.fullmatch(intent_id):
        raise InvalidPaymentRequest("is not a gateway id", field="intent_id")
    return intent_id
