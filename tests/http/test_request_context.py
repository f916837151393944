"""Request ids, the access log and what the logs must never contain."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest
import structlog
from litestar import Litestar, get

import fusionx
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.logging import REDACTED, configure_logging, redact_secrets
from fusionx.entrypoints.settings import LogFormat, Settings
from tests.factories import PASSWORD, make_staff
from tests.http.conftest import bearer

GENERATED = re.compile(r"[0-9a-f]{32}")


@get("/test/chatty", operation_id="testChatty", summary="Test only")
async def chatty() -> dict[str, str]:
    structlog.stdlib.get_logger("fusionx.test").info("cooking", dish="tacos")
    logging.getLogger("some.library").warning("library says %s", "hello")
    return {"status": "ok"}


@pytest.fixture
def app(settings: Settings, adapters: Adapters) -> Litestar:
    app = create_app(settings, adapters)
    app.register(chatty)
    return app


async def test_a_sane_request_id_is_echoed(client):
    response = await client.get("/health/live", headers={"X-Request-ID": "mobile-42.retry_1"})

    assert response.headers["x-request-id"] == "mobile-42.retry_1"


async def test_a_request_id_is_generated_when_absent(client):
    first = await client.get("/health/live")
    second = await client.get("/health/live")

    assert GENERATED.fullmatch(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize("bad", ["x" * 129, "two words", "semi;colon", "ünïcode".encode(), ""])
async def test_an_unsafe_request_id_is_replaced(client, bad):
    response = await client.get("/health/live", headers={"X-Request-ID": bad})

    assert GENERATED.fullmatch(response.headers["x-request-id"])


@pytest.mark.parametrize(("method", "path"), [("GET", "/nowhere"), ("PATCH", "/health/live")])
async def test_errors_outside_any_route_carry_the_id_too(client, method, path):
    response = await client.request(method, path, headers={"X-Request-ID": "abc"})

    assert response.headers["x-request-id"] == "abc"
    assert response.json()["request_id"] == "abc"


async def test_one_access_line_per_request(client, log_lines):
    response = await client.get("/health/live", headers={"X-Request-ID": "probe-1"})

    [line] = log_lines.of_request("probe-1")
    assert line["event"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == "/health/live"
    assert line["status"] == response.status_code == 200
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "info"
    assert "timestamp" in line


async def test_every_line_of_a_request_carries_its_id(client, log_lines):
    await client.get("/test/chatty", headers={"X-Request-ID": "chatty-1"})

    lines = log_lines.of_request("chatty-1")
    assert [line["event"] for line in lines] == ["cooking", "library says hello", "request"]
    server_side = [r for r in log_lines.records() if r["logger"] != "httpx"]  # the test client
    assert len(server_side) == len(lines)  # nothing the app logged lacks the id
    assert lines[1]["logger"] == "some.library"


async def test_a_login_leaves_no_password_or_token_in_the_logs(client, adapters, log_lines):
    staff = await make_staff(adapters)
    response = await client.post(
        "/api/v1/auth/login",
        json={"email": staff.email, "password": PASSWORD},
        headers={"X-Request-ID": "login-1"},
    )
    token = response.json()["token"]
    await client.get("/api/v1/me", headers=bearer(token))
    structlog.stdlib.get_logger("fusionx.test").info("oops", note=f"saw {token}")

    assert log_lines.of_request("login-1")
    assert PASSWORD not in log_lines.text
    assert token not in log_lines.text
    assert token[:12] not in log_lines.text


def test_secret_looking_keys_are_redacted_at_any_depth():
    event = {
        "event": "connecting with token",
        "password": "hunter2",
        "settings": {"database_url": "postgresql://u:p@db/x", "port": 5432},
        "headers": [{"Authorization": "Bearer fxs_abc"}, {"accept": "json"}],
        "client_secret": "s",
        "api_key": "k",
        "note": "sent fxd_abcdefghijklmnopqrstuvwxyz0123 to the tablet",
    }

    redacted = redact_secrets(None, "info", event)

    assert redacted == {
        "event": "connecting with token",
        "password": REDACTED,
        "settings": {"database_url": REDACTED, "port": 5432},
        "headers": [{"Authorization": REDACTED}, {"accept": "json"}],
        "client_secret": REDACTED,
        "api_key": REDACTED,
        "note": f"sent {REDACTED} to the tablet",
    }


@pytest.mark.usefixtures("restore_logging")
def test_auto_format_writes_json_lines_when_not_on_a_terminal():
    stream = io.StringIO()
    configure_logging(Settings(log_format=LogFormat.AUTO, log_level="WARNING"), stream=stream)

    structlog.stdlib.get_logger("fusionx.test").info("hidden")
    structlog.stdlib.get_logger("fusionx.test").warning("shown", password="x")
    logging.getLogger("_granian").error("from granian")

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["event"], line["level"]) for line in lines] == [
        ("shown", "warning"),
        ("from granian", "error"),
    ]
    assert lines[0]["password"] == REDACTED


@pytest.mark.usefixtures("restore_logging")
def test_console_format_is_readable_text():
    stream = io.StringIO()
    configure_logging(Settings(log_format=LogFormat.CONSOLE), stream=stream)

    structlog.stdlib.get_logger("fusionx.test").info("hello", token="fxs_secret")

    output = stream.getvalue()
    assert "hello" in output
    assert "fxs_secret" not in output
    with pytest.raises(json.JSONDecodeError):
        json.loads(output)


def _token_prefixes() -> set[str]:
    """Every token prefix the core declares (``"fx?_"`` literals), found in its source
    so that a kind of token added later is covered here without a line."""
    core = Path(fusionx.__file__).parent / "core"
    found = set()
    for path in core.rglob("*.py"):
        found |= set(re.findall(r"""["'](fx[a-z]_)["']""", path.read_text(encoding="utf-8")))
    return found


def test_the_core_declares_the_token_prefixes_we_know():
    assert _token_prefixes() >= {"fxs_", "fxd_", "fxc_", "fxe_", "fxt_"}


@pytest.mark.parametrize("prefix", sorted(_token_prefixes()))
def test_every_kind_of_token_is_redacted_in_text_and_paths(prefix):
    token = prefix + "Ab3_-" * 9
    event = {"event": "request", "path": f"/app/shop/track/{token}/status", "note": token}

    redacted = redact_secrets(None, "info", event)

    assert token not in json.dumps(redacted)
    assert redacted["path"] == f"/app/shop/track/{REDACTED}/status"


@pytest.mark.parametrize("path", ["/api/v1/track/{token}", "/app/shop/track/{token}"])
async def test_a_tracking_link_opened_leaves_no_token_in_the_logs(client, log_lines, path):
    token = "fxt_" + "x" * 43  # what an unknown link looks like: logged all the same

    await client.get(path.format(token=token), headers={"X-Request-ID": "track-1"})

    [line] = log_lines.of_request("track-1")
    assert line["path"] == path.format(token=REDACTED)
    assert token[:12] not in log_lines.text
