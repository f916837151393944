"""Per-address login throttling must see the real client, and only believe trusted proxies."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Request

from fusionx.entrypoints.http.client_address import client_address_provider
from fusionx.entrypoints.settings import SettingsError, load_settings


def request_from(peer: str, forwarded_for: str | None = None) -> Request[Any, Any, Any]:
    headers = [(b"x-forwarded-for", forwarded_for.encode())] if forwarded_for else []
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": headers,
        "client": (peer, 5000),
    }
    return Request(scope)  # type: ignore[arg-type]


def address(trusted: str, peer: str, forwarded_for: str | None = None) -> str:
    networks = load_settings({"FUSIONX_TRUSTED_PROXIES": trusted}).trusted_proxy_networks
    return client_address_provider(networks)(request_from(peer, forwarded_for))


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_headers_say() -> None:
    assert address("", "203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_trusted_proxy_forwards_the_client_address() -> None:
    assert address("10.0.0.0/8", "10.0.0.2", "198.51.100.1") == "198.51.100.1"


def test_a_client_cannot_spoof_its_address_through_a_trusted_proxy() -> None:
    # The client wrote 1.2.3.4 itself; the proxy appended the address it really saw.
    assert address("10.0.0.0/8", "10.0.0.2", "1.2.3.4, 198.51.100.1") == "198.51.100.1"


def test_chains_of_trusted_proxies_are_walked_from_the_right() -> None:
    assert address("10.0.0.0/8", "10.0.0.2", "198.51.100.1, 10.0.0.7") == "198.51.100.1"


def test_an_untrusted_peer_sending_forwarded_headers_is_ignored() -> None:
    assert address("10.0.0.0/8", "203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_bad_proxy_range_stops_start_up_naming_the_variable() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"FUSIONX_TRUSTED_PROXIES": "10.0.0.0/8, not-an-ip"})
    assert str(error.value).startswith("FUSIONX_TRUSTED_PROXIES:")
