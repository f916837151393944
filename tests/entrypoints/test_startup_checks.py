"""``serve`` claims its port for itself: granian's SO_REUSEPORT would otherwise let a
second server share a port with a first and split its requests."""

from __future__ import annotations

import socket

import pytest

from fusionx.entrypoints.startup_checks import StartupError, claim_address


def listening(host: str, *, reuse_port: bool) -> socket.socket:
    """A socket listening on a free port of ``host``, bound as granian binds its own."""
    server = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    server.bind((host, 0))
    server.listen()
    return server


ANY = "0.0.0.0"  # noqa: S104 - every interface, which a server may be bound to


@pytest.mark.parametrize("reuse_port", [True, False])
@pytest.mark.parametrize(
    ("taken", "wanted"), [("127.0.0.1", "127.0.0.1"), (ANY, "127.0.0.1"), ("127.0.0.1", ANY)]
)
def test_a_port_another_server_listens_on_is_refused_naming_it(
    taken: str, wanted: str, reuse_port: bool
) -> None:
    with listening(taken, reuse_port=reuse_port) as other:
        port = other.getsockname()[1]

        with pytest.raises(StartupError) as refused:
            claim_address(wanted, port)

    assert str(refused.value).startswith(f"port {port} on {wanted} is already in use")


def test_a_free_port_is_claimed_and_a_name_becomes_an_address() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    assert claim_address("127.0.0.1", port) == "127.0.0.1"
    assert claim_address("localhost", port) in ("127.0.0.1", "::1")


def test_an_address_that_is_not_there_is_one_line() -> None:
    with pytest.raises(StartupError, match=r"cannot listen on 'nowhere\.invalid'"):
        claim_address("nowhere.invalid", 8000)
