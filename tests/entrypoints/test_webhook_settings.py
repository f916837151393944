"""Webhook settings: strict by default, and what an operator may open up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fusionx.core.model.webhooks import WebhookPolicy
from fusionx.core.rules.webhook_retries import CAP, FLOOR, ceiling, retry_delay
from fusionx.entrypoints.settings import SettingsError
from fusionx.entrypoints.startup_checks import known_setting_variables
from fusionx.entrypoints.webhook_settings import load_webhook_settings


def test_by_default_https_to_public_addresses_only() -> None:
    assert load_webhook_settings({}).policy == WebhookPolicy()


def test_an_operator_may_allow_private_targets_networks_and_http() -> None:
    settings = load_webhook_settings(
        {
            "FUSIONX_WEBHOOKS_ALLOW_PRIVATE": "true",
            "FUSIONX_WEBHOOKS_ALLOW_HTTP": "yes",
            "FUSIONX_WEBHOOKS_ALLOWED_NETWORKS": " 10.20.0.0/16, fd00:20::/32 ",
            "FUSIONX_WEBHOOKS_TIMEOUT_SECONDS": "3",
        }
    )
    assert settings.policy == WebhookPolicy(
        allow_http=True, allow_private=True, allowed_networks=("10.20.0.0/16", "fd00:20::/32")
    )
    assert settings.webhooks_timeout_seconds == 3


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FUSIONX_WEBHOOKS_ALLOWED_NETWORKS", "10.20.0.0/33"),
        ("FUSIONX_WEBHOOKS_ALLOWED_NETWORKS", "intranet"),
        ("FUSIONX_WEBHOOKS_TIMEOUT_SECONDS", "0"),
        ("FUSIONX_WEBHOOKS_ALLOW_PRIVATE", "perhaps"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_webhook_settings({name: value})


def test_the_variables_are_known_settings() -> None:
    assert {
        "FUSIONX_WEBHOOKS_ALLOW_PRIVATE",
        "FUSIONX_WEBHOOKS_ALLOWED_NETWORKS",
        "FUSIONX_WEBHOOKS_ALLOW_HTTP",
        "FUSIONX_WEBHOOKS_TIMEOUT_SECONDS",
        "FUSIONX_WEBHOOKS_POLL_SECONDS",
    } <= known_setting_variables()


@pytest.mark.parametrize("failures", range(1, 40))
def test_each_retry_waits_up_to_a_doubling_ceiling_capped_at_an_hour(failures: int) -> None:
    top = ceiling(failures)
    assert top == min(CAP, timedelta(seconds=30) * 2 ** min(failures - 1, 20))
    assert retry_delay(failures, 0.0) == FLOOR
    assert retry_delay(failures, 0.5) == max(FLOOR, top / 2)
    assert retry_delay(failures, 0.999999) < top + FLOOR
