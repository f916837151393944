"""The guard against server-side request forgery, over the whole class of addresses a
URL can smuggle in: every private, loopback, link-local, multicast, unspecified or
reserved address, IPv4 and IPv6, spelled any way a resolver would read it, or reached
by a name that resolves to one."""

from __future__ import annotations

import pytest

from fusionx.adapters.memory.webhooks import StaticHostResolver
from fusionx.core.errors import InvalidInput
from fusionx.core.model.webhooks import WebhookPolicy
from fusionx.core.rules.webhook_signatures import signature_header, verify
from fusionx.core.use_cases.steps.webhook_endpoints import checked_target

STRICT = WebhookPolicy()
RESOLVER = StaticHostResolver(
    {
        "internal.partner.example": ["10.1.2.3"],
        "metadata.partner.example": ["169.254.169.254"],
        "loopback6.partner.example": ["::1"],
        "mapped.partner.example": ["::ffff:192.168.0.1"],
        "mixed.partner.example": ["93.184.215.14", "127.0.0.1"],
        "cgnat.partner.example": ["100.64.1.1"],
    },
    unresolvable=["nowhere.partner.example"],
)

NOT_PUBLIC = [
    # IPv4 loopback, every spelling inet_aton accepts.
    "https://127.0.0.1/",
    "https://127.0.0.1:8443/hook",
    "https://127.1/",
    "https://127.0.1/",
    "https://2130706433/",
    "https://0x7f000001/",
    "https://0X7F.0.0.1/",
    "https://017700000001/",
    "https://0177.0.0.1/",
    "https://0177.1/",
    "https://127.0.0.1./",
    # Names that are loopback whatever DNS says.
    "https://localhost/",
    "https://LOCALHOST./",
    "https://api.localhost/",
    # Private, shared, link-local (the cloud metadata service), unspecified.
    "https://10.0.0.1/",
    "https://012.0.0.1/",
    "https://167772161/",
    "https://172.16.5.4/",
    "https://172.31.255.255/",
    "https://192.168.1.1/",
    "https://100.64.0.1/",
    "https://169.254.169.254/latest/meta-data/",
    "https://0.0.0.0/",
    "https://0/",
    # Multicast, broadcast, reserved, benchmarking, documentation.
    "https://224.0.0.1/",
    "https://239.255.255.250/",
    "https://255.255.255.255/",
    "https://240.0.0.1/",
    "https://198.18.0.1/",
    "https://192.0.2.1/",
    "https://203.0.113.9/",
    # IPv6 loopback, unspecified, link-local, unique-local, multicast, documentation.
    "https://[::1]/",
    "https://[0:0:0:0:0:0:0:1]/",
    "https://[::]/",
    "https://[fe80::1]/",
    "https://[fc00::1]/",
    "https://[fd12:3456:789a::1]/",
    "https://[ff02::1]/",
    "https://[2001:db8::1]/",
    # IPv4 carried in IPv6: mapped, compatible, 6to4, NAT64, Teredo.
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:7f00:1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://[0:0:0:0:0:ffff:169.254.169.254]/",
    "https://[::127.0.0.1]/",
    "https://[2002:7f00:1::]/",
    "https://[2002:a00:1::1]/",
    "https://[64:ff9b::a00:1]/",
    "https://[64:ff9b::127.0.0.1]/",
    "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    # Names resolving to any such address (one bad address among good ones is enough).
    "https://internal.partner.example/hook",
    "https://metadata.partner.example/",
    "https://loopback6.partner.example/",
    "https://mapped.partner.example/",
    "https://mixed.partner.example/",
    "https://cgnat.partner.example/",
]

NOT_A_TARGET = [
    ("http://93.184.215.14/", "webhook.url_scheme"),
    ("ftp://93.184.215.14/", "webhook.url_scheme"),
    ("javascript:alert(1)", "webhook.url_scheme"),
    ("//93.184.215.14/", "webhook.url_scheme"),
    ("https://user:secret@hooks.partner.example/", "webhook.url_credentials"),
    ("https://user@hooks.partner.example/", "webhook.url_credentials"),
    ("https:///no-host", "webhook.url_invalid"),
    ("https://hooks.partner.example/#fragment", "webhook.url_invalid"),
    ("https://hooks.partner.example:99999/", "webhook.url_invalid"),
    ("https://hooks.partner .example/", "webhook.url_invalid"),
    ("https://hooks.partner.example/\r\nX-Evil: 1", "webhook.url_invalid"),
    ("https://1.2.3.999/", "webhook.url_invalid"),
    ("https://256.1.1.1/", "webhook.url_invalid"),
    ("https://0x1ffffffff/", "webhook.url_invalid"),
    ("https://nowhere.partner.example/", "webhook.url_unresolved"),
    ("https://" + "a" * 2000 + ".example/", "input.too_long"),
]

PUBLIC = [
    "https://93.184.215.14/",
    "https://93.184.215.14:8443/hooks?tenant=7",
    "https://hooks.partner.example/fusionx",
    "https://[2606:4700:4700::1111]/",
    "https://1572395022/",  # 93.184.215.14 as one number: public, so fine
]


@pytest.mark.parametrize("url", NOT_PUBLIC)
async def test_a_url_reaching_no_public_address_is_refused(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await checked_target(RESOLVER, url, STRICT)
    assert (refused.value.field, refused.value.message.key) == ("url", "webhook.url_private")


@pytest.mark.parametrize("url", NOT_PUBLIC)
async def test_the_operator_may_allow_private_addresses(url: str) -> None:
    _target, address = await checked_target(RESOLVER, url, WebhookPolicy(allow_private=True))
    assert address is not None


@pytest.mark.parametrize(("url", "key"), NOT_A_TARGET)
async def test_a_url_that_is_no_https_target_is_refused_naming_the_rule(url: str, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await checked_target(RESOLVER, url, STRICT)
    assert (refused.value.field, refused.value.message.key) == ("url", key)


@pytest.mark.parametrize("url", PUBLIC)
async def test_a_public_https_url_passes_and_says_where_to_connect(url: str) -> None:
    target, address = await checked_target(RESOLVER, url, STRICT)
    assert target.scheme == "https"
    assert not address.is_private


async def test_http_only_where_the_operator_allows_it() -> None:
    lab = WebhookPolicy(allow_http=True, allow_private=True)
    target, address = await checked_target(RESOLVER, "http://127.0.0.1:8080/in", lab)
    assert (target.port, str(address)) == (8080, "127.0.0.1")
    with pytest.raises(InvalidInput) as refused:
        await checked_target(RESOLVER, "ftp://127.0.0.1/", lab)
    assert refused.value.message.key == "webhook.url_scheme_http"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://10.20.1.1/", True),
        ("https://[fd00:20::5]/", True),
        ("https://10.21.0.1/", False),
        ("https://127.0.0.1/", False),
        ("https://internal.partner.example/", False),  # 10.1.2.3
    ],
)
async def test_listed_networks_are_allowed_and_nothing_else(url: str, *, allowed: bool) -> None:
    policy = WebhookPolicy(allowed_networks=("10.20.0.0/16", "fd00:20::/32"))
    if allowed:
        await checked_target(RESOLVER, url, policy)
    else:
        with pytest.raises(InvalidInput):
            await checked_target(RESOLVER, url, policy)


def test_a_signature_verifies_only_with_its_secret_body_and_a_fresh_timestamp() -> None:
    body, secret, t = b'{"id":"a:1"}', "whsec_test", 1_767_614_400
    header = signature_header(secret, t, body)
    assert verify(secret, header, body, now=t + 299)
    assert not verify(secret, header, body, now=t + 301)  # too old: a replay
    assert not verify(secret, header, body + b" ", now=t)
    assert not verify("whsec_other", header, body, now=t)
    assert not verify(secret, header.replace(f"t={t}", f"t={t + 1}"), body, now=t)
    assert not verify(secret, "v1=abc", body, now=t)
    # While a rotated secret's old signature is still sent beside the new one.
    assert verify(secret, f"{header},v1={'0' * 64}", body, now=t)
