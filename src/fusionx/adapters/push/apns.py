"""Apple Push Notification service: the HTTP/2 provider API with token-based auth."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import msgspec
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey

from fusionx.core.model.notifications import AlertText
from fusionx.ports.clock import Clock
from fusionx.ports.push_sender import PushOutcome, PushResult

# Apple refuses a provider token older than an hour and one refreshed more often than
# every 20 minutes: 40 minutes sits well inside both.
TOKEN_LIFETIME = timedelta(minutes=40)
# How long Apple keeps trying an offline device: an alert older than this is noise.
EXPIRATION = timedelta(hours=1)
_TOKEN_REFUSALS = frozenset({"BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered"})


class ApnsPushSender:
    """``PushSender`` speaking APNs: HTTP/2 (httpx with h2), ES256 provider tokens (PyJWT).

    One client, so one long-lived connection, per process: httpx opens a new connection
    when Apple sends GOAWAY or the connection drops, and a request that died with the
    connection is tried once more on a fresh one. The provider token is reused for 40
    minutes, and made again at once when Apple answers ``ExpiredProviderToken``.
    """

    def __init__(
        self,
        *,
        key: EllipticCurvePrivateKey,
        key_id: str,
        team_id: str,
        topic: str,
        host: str,
        clock: Clock,
        ca_file: str | None = None,
        timeout_seconds: float = 10,
    ) -> None:
        self._key = key
        self._key_id = key_id
        self._team_id = team_id
        self._topic = topic
        self._host = host.rstrip("/")
        self._clock = clock
        self._ca_file = ca_file
        self._timeout = timeout_seconds
        self._client: httpx.AsyncClient | None = None
        self._token: tuple[str, datetime] | None = None

    async def send(self, token: str, message: AlertText) -> PushResult:
        body = msgspec.json.encode(
            {
                **message.data,
                "aps": {
                    "alert": {"title": message.title, "body": message.body},
                    "sound": "default",
                },
            }
        )
        response = await self._post(token, message, body)
        if isinstance(response, PushResult):
            return response
        if _reason(response) == "ExpiredProviderToken":
            self._token = None
            response = await self._post(token, message, body)
            if isinstance(response, PushResult):
                return response
        return _result(response)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _post(
        self, token: str, message: AlertText, body: bytes
    ) -> httpx.Response | PushResult:
        headers = {
            "authorization": f"bearer {self._provider_token()}",
            "apns-topic": self._topic,
            "apns-push-type": "alert",
            "apns-priority": "10",
            "apns-expiration": str(int((self._clock.now() + EXPIRATION).timestamp())),
            "content-type": "application/json",
        }
        if message.collapse_key:
            headers["apns-collapse-id"] = message.collapse_key[:64]
        error: httpx.TransportError | None = None
        for _ in range(2):  # a second try, on a fresh connection, after a dropped one
            try:
                return await self._http().post(f"/3/device/{token}", content=body, headers=headers)
            except httpx.TransportError as failure:
                error = failure
        return PushResult(outcome=PushOutcome.RETRY, detail=f"connection: {error!r}"[:200])

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            verify: ssl.SSLContext | bool = True
            if self._ca_file:
                verify = ssl.create_default_context(cafile=self._ca_file)
            self._client = httpx.AsyncClient(
                base_url=self._host,
                http1=False,
                http2=True,
                verify=verify,
                timeout=self._timeout,
                limits=httpx.Limits(max_connections=1, keepalive_expiry=None),
            )
        return self._client

    def _provider_token(self) -> str:
        now = self._clock.now()
        if self._token is None or now - self._token[1] >= TOKEN_LIFETIME:
            signed = jwt.encode(
                {"iss": self._team_id, "iat": int(now.timestamp())},
                self._key,
                algorithm="ES256",
                headers={"kid": self._key_id},
            )
            self._token = (signed, now)
        return self._token[0]


def _reason(response: httpx.Response) -> str:
    return str(_answer(response).get("reason", ""))


def _answer(response: httpx.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _result(response: httpx.Response) -> PushResult:
    apns_id = response.headers.get("apns-id")
    if response.status_code == 200:
        return PushResult(outcome=PushOutcome.DELIVERED, provider_ref=apns_id)
    answer = _answer(response)
    reason = str(answer.get("reason", "")) or f"HTTP {response.status_code}"
    if response.status_code == 410 or reason in _TOKEN_REFUSALS:
        since = answer.get("timestamp")
        return PushResult(
            outcome=PushOutcome.TOKEN_INVALID,
            detail=reason,
            provider_ref=apns_id,
            invalid_since=(
                datetime.fromtimestamp(since / 1000, tz=UTC)
                if isinstance(since, int | float)
                else None
            ),
        )
    if response.status_code == 429 or response.status_code >= 500:
        retry_after = response.headers.get("retry-after")
        return PushResult(
            outcome=PushOutcome.RETRY,
            detail=reason,
            provider_ref=apns_id,
            retry_after_seconds=float(retry_after)
            if retry_after and retry_after.isdigit()
            else None,
        )
    return PushResult(outcome=PushOutcome.FAILED, detail=reason, provider_ref=apns_id)
