"""Builds the push and SMS adapters their settings ask for.

A provider's adapter, and its HTTP and crypto libraries (httpx, PyJWT, cryptography:
about 13 MB a worker), are imported only when that provider is configured.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from fusionx.adapters.notifications.unconfigured import (
    RefusingCallbackVerifier,
    UnconfiguredPushSender,
    UnconfiguredSmsSender,
)
from fusionx.entrypoints.environment import bad_value, env_name
from fusionx.entrypoints.notification_settings import NotificationSettings
from fusionx.ports.clock import Clock
from fusionx.ports.push_sender import PushSender
from fusionx.ports.sms_callbacks import SmsCallbackVerifier
from fusionx.ports.sms_sender import SmsSender

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey

    from fusionx.adapters.push.apns import ApnsPushSender
    from fusionx.adapters.sms.twilio import TwilioSmsSender

Providers = tuple[PushSender, SmsSender, SmsCallbackVerifier, Callable[[], Awaitable[None]]]


def providers(settings: NotificationSettings, clock: Clock) -> Providers:
    """The push sender, the SMS sender, the callback verifier, and how to close them."""
    push: PushSender = UnconfiguredPushSender()
    sms: SmsSender = UnconfiguredSmsSender()
    verifier: SmsCallbackVerifier = RefusingCallbackVerifier()
    apns: ApnsPushSender | None = None
    twilio: TwilioSmsSender | None = None
    if settings.apns_configured:
        from fusionx.adapters.push.apns import ApnsPushSender  # noqa: PLC0415

        push = apns = ApnsPushSender(
            key=_signing_key(settings.apns_key),
            key_id=settings.apns_key_id,
            team_id=settings.apns_team_id,
            topic=settings.apns_topic,
            host=settings.apns_host,
            clock=clock,
            ca_file=settings.apns_ca_file or None,
        )
    if settings.sms_configured:
        from fusionx.adapters.sms.twilio import (  # noqa: PLC0415
            TwilioCallbackVerifier,
            TwilioSmsSender,
        )

        sms = twilio = TwilioSmsSender(
            base_url=settings.sms_base_url,
            account_sid=settings.sms_account_sid,
            auth_token=settings.sms_auth_token,
            sender=settings.sms_from,
            messaging_service_sid=settings.sms_messaging_service_sid,
            status_callback_url=settings.sms_status_callback_url,
        )
        verifier = TwilioCallbackVerifier(settings.sms_auth_token, settings.sms_status_callback_url)

    async def close() -> None:
        if apns is not None:
            await apns.close()
        if twilio is not None:
            await twilio.close()

    return push, sms, verifier, close


def _signing_key(pem: str) -> EllipticCurvePrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ec import (  # noqa: PLC0415
        EllipticCurvePrivateKey,
    )
    from cryptography.hazmat.primitives.serialization import load_pem_private_key  # noqa: PLC0415

    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except ValueError:
        key = None
    if not isinstance(key, EllipticCurvePrivateKey):
        raise bad_value(
            env_name("apns_key"), pem, "the PEM text of an EC private key (a .p8 file)", secret=True
        )
    return key
