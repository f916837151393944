"""The Redis server named by ``FUSIONX_TEST_REDIS_URL`` (``async+redis://host:port/db``).

Like PostgreSQL (``postgres``): without a server the Redis tests skip, unless
``FUSIONX_REQUIRE_REDIS=1`` (CI), where a missing server fails the run instead.
"""

from __future__ import annotations

import os
import socket
from typing import NoReturn
from urllib.parse import urlsplit

import pytest

URL_VARIABLE = "FUSIONX_TEST_REDIS_URL"
REQUIRE_VARIABLE = "FUSIONX_REQUIRE_REDIS"


def redis_unavailable(reason: str) -> NoReturn:
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"Redis is required ({REQUIRE_VARIABLE}=1) but {reason}", pytrace=False)
    pytest.skip(f"Redis tests skipped: {reason}")


def redis_url() -> str:
    """The test server's URL, once it has answered a PING."""
    url = os.environ.get(URL_VARIABLE)
    if not url:
        redis_unavailable(f"{URL_VARIABLE} is not set")
    where = urlsplit(url)
    try:
        with socket.create_connection((where.hostname, where.port or 6379), timeout=5) as peer:
            peer.sendall(b"PING\r\n")
            answer = peer.recv(64)
    except OSError as error:
        redis_unavailable(f"{where.hostname}:{where.port} does not answer: {error}")
    if not answer.startswith((b"+PONG", b"-NOAUTH")):
        redis_unavailable(f"{where.hostname}:{where.port} answered {answer!r} to PING")
    return url
