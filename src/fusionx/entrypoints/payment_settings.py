"""Settings of the payment gateway (Stripe's API, or one speaking it).

Read like ``Settings``, from ``FUSIONX_*`` variables; the API key may come from
``FUSIONX_PAYMENTS_API_KEY_FILE``. Without a key, payments and refunds go to the
in-memory recording gateway, where no money moves: right for the demo and development,
refused by ``startup_checks`` on a production server that takes online payments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import msgspec

from fusionx.entrypoints.environment import bad_value, env_name, from_environment

SECRET_FIELDS = frozenset({"payments_api_key"})


class PaymentSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    # A secret key, sk_live_... (or sk_test_... for Stripe's test mode).
    payments_api_key: str = ""
    payments_api_url: str = "https://api.stripe.com"
    # Per attempt; a call is sent up to three times when the gateway does not answer.
    payments_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=60)] = 10.0
    # What customers pay in (ISO 4217, lower case, as Stripe spells it).
    payments_currency: Annotated[str, msgspec.Meta(pattern="^[a-z]{3}$")] = "eur"
    # How long an unpaid online order holds its stock before the units go back.
    payments_hold_minutes: Annotated[int, msgspec.Meta(ge=1, le=24 * 60)] = 15

    @property
    def configured(self) -> bool:
        return bool(self.payments_api_key)


def load_payment_settings(environ: Mapping[str, str] | None = None) -> PaymentSettings:
    settings = from_environment(PaymentSettings, SECRET_FIELDS, environ)
    if not settings.payments_api_url.startswith(("https://", "http://")):
        raise bad_value(
            env_name("payments_api_url"), settings.payments_api_url, "an http(s):// URL"
        )
    return settings
