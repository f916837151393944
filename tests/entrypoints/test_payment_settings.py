"""The payment gateway's settings, the adapter they choose, and the start-up refusal of
online payments on a production database without a gateway."""

from __future__ import annotations

from pathlib import Path

import pytest

from fusionx.adapters.payments.recording_gateway import RecordingPaymentGateway
from fusionx.adapters.payments.stripe_gateway import StripePaymentGateway
from fusionx.entrypoints.bootstrap import payment_gateway
from fusionx.entrypoints.payment_settings import PaymentSettings, load_payment_settings
from fusionx.entrypoints.settings import Settings, SettingsError
from fusionx.entrypoints.startup_checks import (
    StartupError,
    check_payment_gateway,
    known_setting_variables,
)

POSTGRES = "postgresql+asyncpg://fusionx@db/fusionx"
WEBHOOK_SECRET = "whsec_0123456789abcdef"


def test_without_a_key_the_recording_gateway_is_used() -> None:
    settings = load_payment_settings({})

    assert (settings.configured, settings.payments_api_url) == (False, "https://api.stripe.com")
    gateway, _ = payment_gateway(settings)
    assert isinstance(gateway, RecordingPaymentGateway)


async def test_a_key_from_a_file_chooses_stripe(tmp_path: Path) -> None:
    key = tmp_path / "stripe"
    key.write_text("sk_test_123\n")
    settings = load_payment_settings(
        {
            "FUSIONX_PAYMENTS_API_KEY_FILE": str(key),
            "FUSIONX_PAYMENTS_API_URL": "http://127.0.0.1:12111",
        }
    )

    gateway, close = payment_gateway(settings)
    try:
        assert settings.payments_api_key == "sk_test_123"
        assert isinstance(gateway, StripePaymentGateway)
    finally:
        await close()


@pytest.mark.parametrize(
    ("variable", "value"),
    [("FUSIONX_PAYMENTS_API_URL", "ftp://stripe"), ("FUSIONX_PAYMENTS_TIMEOUT_SECONDS", "0")],
)
def test_a_bad_value_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_payment_settings({variable: value})


def test_its_variables_are_known() -> None:
    assert {"FUSIONX_PAYMENTS_API_KEY", "FUSIONX_PAYMENTS_API_KEY_FILE"} <= (
        known_setting_variables()
    )
    assert "FUSIONX_PAYMENTS_API_URL" in known_setting_variables()


def test_online_payments_on_a_production_database_need_a_gateway() -> None:
    production = Settings(database_url=POSTGRES, payment_webhook_secret=WEBHOOK_SECRET)

    with pytest.raises(StartupError, match="FUSIONX_PAYMENTS_API_KEY"):
        check_payment_gateway(production, PaymentSettings())
    check_payment_gateway(production, PaymentSettings(payments_api_key="sk_live_1"))
    # No online payments, or the embedded database (a laptop, the demo): no gateway needed.
    check_payment_gateway(Settings(database_url=POSTGRES), PaymentSettings())
    check_payment_gateway(Settings(payment_webhook_secret=WEBHOOK_SECRET), PaymentSettings())
