"""Settings of the push (APNs) and SMS (Twilio-compatible) providers and the dispatcher.

Read like ``Settings``, from ``FUSIONX_*`` variables; the key and the auth token may come
from ``*_FILE``. A channel whose settings are incomplete is off: its notifications are
recorded as not sent ("not configured"), and staff fall back to the other channel.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import msgspec

from fusionx.entrypoints.environment import bad_value, env_name, from_environment

SECRET_FIELDS = frozenset({"apns_key", "sms_auth_token"})


class NotificationSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    # APNs token-based auth: the .p8 key's PEM text, its key id, the team id, the app's
    # bundle id as topic. The host is overridable (sandbox, or a local test server).
    apns_key: str = ""
    apns_key_id: str = ""
    apns_team_id: str = ""
    apns_topic: str = ""
    apns_host: str = "https://api.push.apple.com"
    apns_ca_file: str = ""  # extra CA certificate to trust (a private test server)
    # Twilio-compatible Messages API.
    sms_base_url: str = "https://api.twilio.com"
    sms_account_sid: str = ""
    sms_auth_token: str = ""
    sms_from: str = ""
    sms_messaging_service_sid: str = ""
    # Our public URL of POST /api/v1/sms/status, given to the provider per message.
    sms_status_callback_url: str = ""
    notify_poll_seconds: Annotated[float, msgspec.Meta(gt=0, le=60)] = 1.0
    # How long a claimed notification waits for its dispatcher before another takes it.
    notify_lease_seconds: Annotated[int, msgspec.Meta(ge=1, le=3600)] = 60

    @property
    def apns_configured(self) -> bool:
        return all((self.apns_key, self.apns_key_id, self.apns_team_id, self.apns_topic))

    @property
    def sms_configured(self) -> bool:
        sender = self.sms_from or self.sms_messaging_service_sid
        return all((self.sms_account_sid, self.sms_auth_token, sender))


def load_notification_settings(environ: Mapping[str, str] | None = None) -> NotificationSettings:
    settings = from_environment(NotificationSettings, SECRET_FIELDS, environ)
    if not settings.apns_host.startswith("https://"):
        raise bad_value(
            env_name("apns_host"), settings.apns_host, "an https:// URL (APNs is HTTP/2 over TLS)"
        )
    if not settings.sms_base_url.startswith(("https://", "http://")):
        raise bad_value(env_name("sms_base_url"), settings.sms_base_url, "an http(s):// URL")
    return settings
