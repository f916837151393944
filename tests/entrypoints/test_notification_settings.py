from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fusionx.adapters.clock.system_clock import SystemClock
from fusionx.adapters.push.apns import ApnsPushSender
from fusionx.adapters.sms.twilio import TwilioSmsSender
from fusionx.entrypoints.notification_providers import providers
from fusionx.entrypoints.notification_settings import load_notification_settings
from fusionx.entrypoints.settings import SettingsError
from fusionx.ports.push_sender import PushOutcome
from fusionx.ports.sms_sender import SmsOutcome
from tests.notifications.test_apns import MESSAGE


def _pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


APNS = {
    "FUSIONX_APNS_KEY_ID": "KEY1234567",
    "FUSIONX_APNS_TEAM_ID": "TEAM123456",
    "FUSIONX_APNS_TOPIC": "com.fusionx.kds",
}


async def test_without_settings_nothing_is_sent_and_it_says_so() -> None:
    push, sms, verifier, close = providers(load_notification_settings({}), SystemClock())

    assert (await push.send("ab" * 32, MESSAGE)).outcome is PushOutcome.NOT_CONFIGURED
    assert (await sms.send("+15005550006", "hi")).outcome is SmsOutcome.NOT_CONFIGURED
    assert not verifier.verify({"MessageSid": "SM1"}, "c2lnbmF0dXJl")
    await close()


async def test_complete_settings_build_the_real_adapters_the_key_read_from_a_file(
    tmp_path: Path,
) -> None:
    key_file = tmp_path / "AuthKey.p8"
    key_file.write_text(_pem())
    environ = APNS | {
        "FUSIONX_APNS_KEY_FILE": str(key_file),
        "FUSIONX_SMS_ACCOUNT_SID": "AC" + "0" * 32,
        "FUSIONX_SMS_AUTH_TOKEN": "secret",
        "FUSIONX_SMS_FROM": "+15005550006",
    }

    push, sms, _, close = providers(load_notification_settings(environ), SystemClock())

    assert isinstance(push, ApnsPushSender)
    assert isinstance(sms, TwilioSmsSender)
    await close()


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"FUSIONX_APNS_HOST": "http://api.push.apple.com"}, "FUSIONX_APNS_HOST"),
        ({"FUSIONX_SMS_BASE_URL": "ftp://sms"}, "FUSIONX_SMS_BASE_URL"),
        ({"FUSIONX_NOTIFY_LEASE_SECONDS": "0"}, "FUSIONX_NOTIFY_LEASE_SECONDS"),
    ],
)
def test_a_bad_value_names_its_variable(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_notification_settings(environ)


def test_a_key_that_is_not_an_ec_private_key_stops_start_up() -> None:
    settings = load_notification_settings(APNS | {"FUSIONX_APNS_KEY": "not a key"})

    with pytest.raises(SettingsError, match="FUSIONX_APNS_KEY"):
        providers(settings, SystemClock())
