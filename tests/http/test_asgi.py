"""The granian factory: settings from the environment, SQL adapters, logging, the app."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.entrypoints.http.asgi import app_from_environment

pytestmark = pytest.mark.usefixtures("restore_logging")


async def test_the_factory_serves_on_the_embedded_database(monkeypatch, tmp_path):
    monkeypatch.setenv("FUSIONX_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FUSIONX_LOG_FORMAT", "json")

    app = app_from_environment()

    assert isinstance(app, Litestar)
    async with AsyncTestClient(app) as client:
        live = await client.get("/health/live")
        ready = await client.get("/health/ready")
    assert live.status_code == 200
    assert ready.status_code in {200, 503}
    if ready.status_code == 503:
        assert ready.json()["problems"]


def test_a_bad_setting_stops_start_up_with_one_line(monkeypatch):
    monkeypatch.setenv("FUSIONX_PORT", "0")

    with pytest.raises(SystemExit) as stopped:
        app_from_environment()

    message = str(stopped.value.code)
    assert message.startswith("fusionx: FUSIONX_PORT")
    assert "\n" not in message
