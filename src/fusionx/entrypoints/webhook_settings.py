"""Settings of outbound webhooks (``docs/webhooks.md``).

Read like ``Settings``, from ``FUSIONX_WEBHOOKS_*`` variables. By default endpoints must
be https on public addresses; ``FUSIONX_WEBHOOKS_ALLOW_PRIVATE`` (or a list of networks
in ``FUSIONX_WEBHOOKS_ALLOWED_NETWORKS``) lets an on-premises install, or a test, reach
receivers on its own network, and ``FUSIONX_WEBHOOKS_ALLOW_HTTP`` plain http.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Annotated

import msgspec

from fusionx.core.model.webhooks import WebhookPolicy
from fusionx.entrypoints.environment import bad_value, env_name, from_environment

SECRET_FIELDS: frozenset[str] = frozenset()  # the signing secrets live in the database


class WebhookSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    webhooks_allow_http: bool = False
    webhooks_allow_private: bool = False
    # Comma-separated networks reachable although private: "10.20.0.0/16,fd00::/8".
    webhooks_allowed_networks: str = ""
    # Per request; a receiver slower than this is a failed attempt, retried later.
    webhooks_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=30)] = 10.0
    # How often each worker looks for due deliveries.
    webhooks_poll_seconds: Annotated[float, msgspec.Meta(gt=0, le=60)] = 1.0

    @property
    def networks(self) -> tuple[str, ...]:
        return tuple(n.strip() for n in self.webhooks_allowed_networks.split(",") if n.strip())

    @property
    def policy(self) -> WebhookPolicy:
        return WebhookPolicy(
            allow_http=self.webhooks_allow_http,
            allow_private=self.webhooks_allow_private,
            allowed_networks=self.networks,
        )


def load_webhook_settings(environ: Mapping[str, str] | None = None) -> WebhookSettings:
    settings = from_environment(WebhookSettings, SECRET_FIELDS, environ)
    for network in settings.networks:
        try:
            ipaddress.ip_network(network)
        except ValueError:
            raise bad_value(
                env_name("webhooks_allowed_networks"),
                settings.webhooks_allowed_networks,
                "networks such as 10.20.0.0/16, separated by commas",
            ) from None
    return settings
