"""A Twilio-compatible Messages API client, and the check of its status callbacks."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import httpx

from fusionx.ports.sms_sender import SmsOutcome, SmsResult

# Refusals that will not change on a retry, and say the number cannot get our texts:
# not a valid number, opted out (STOP), a landline.
NUMBER_REFUSALS = {21211: "invalid number", 21610: "opted out (STOP)", 21614: "not a mobile number"}


class TwilioSmsSender:
    """``SmsSender`` on ``POST {base}/2010-04-01/Accounts/{sid}/Messages.json``.

    Form-encoded ``To``, ``From`` (or ``MessagingServiceSid``), ``Body`` and, when we have
    a public URL for it, ``StatusCallback``; HTTP Basic auth with the account SID and
    auth token. Rate limits (429) and server errors are retried by the dispatcher.
    """

    def __init__(
        self,
        *,
        base_url: str,
        account_sid: str,
        auth_token: str,
        sender: str = "",
        messaging_service_sid: str = "",
        status_callback_url: str = "",
        timeout_seconds: float = 10,
    ) -> None:
        self._path = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._sender = sender
        self._service = messaging_service_sid
        self._callback = status_callback_url
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), auth=(account_sid, auth_token), timeout=timeout_seconds
        )

    async def send(self, to: str, body: str) -> SmsResult:
        form = {"To": to, "Body": body}
        if self._service:
            form["MessagingServiceSid"] = self._service
        else:
            form["From"] = self._sender
        if self._callback:
            form["StatusCallback"] = self._callback
        try:
            response = await self._client.post(self._path, data=form)
        except httpx.TransportError as error:
            return SmsResult(outcome=SmsOutcome.RETRY, detail=f"connection: {error!r}"[:200])
        return _result(response)

    async def close(self) -> None:
        await self._client.aclose()


def _result(response: httpx.Response) -> SmsResult:
    answer = _answer(response)
    if response.status_code in (200, 201):
        return SmsResult(outcome=SmsOutcome.ACCEPTED, provider_ref=str(answer.get("sid") or ""))
    code = answer.get("code")
    detail = f"{code}: {answer.get('message', '')}" if code else f"HTTP {response.status_code}"
    if isinstance(code, int) and code in NUMBER_REFUSALS:
        return SmsResult(
            outcome=SmsOutcome.NUMBER_REJECTED, detail=f"{code}: {NUMBER_REFUSALS[code]}"
        )
    if response.status_code == 429 or response.status_code >= 500:
        retry_after = response.headers.get("retry-after", "")
        return SmsResult(
            outcome=SmsOutcome.RETRY,
            detail=detail[:200],
            retry_after_seconds=float(retry_after) if retry_after.isdigit() else None,
        )
    return SmsResult(outcome=SmsOutcome.FAILED, detail=detail[:200])


def _answer(response: httpx.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """Base64 of HMAC-SHA1, keyed by the auth token, of the URL then each parameter's
    name and value in name order: Twilio's ``X-Twilio-Signature``."""
    signed = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class TwilioCallbackVerifier:
    """``SmsCallbackVerifier``: checks ``X-Twilio-Signature`` against our callback URL."""

    def __init__(self, auth_token: str, callback_url: str) -> None:
        self._token = auth_token
        self._url = callback_url

    def verify(self, params: Mapping[str, str], signature: str) -> bool:
        if not self._token or not self._url or not signature:
            return False
        expected = twilio_signature(self._token, self._url, params)
        # As bytes: a header may hold any character, and str comparison takes ASCII only.
        return hmac.compare_digest(expected.encode(), signature.encode())
