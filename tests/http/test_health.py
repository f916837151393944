"""Liveness, readiness, and what the app does with the adapters at shutdown."""

from __future__ import annotations

import dataclasses

from litestar.testing import AsyncTestClient

from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings


class BrokenDatabase:
    """A readiness probe that reports what a real one would on a stale schema."""

    async def problems(self) -> list[str]:
        return ["database schema at 0001, code expects 0002 (run `fusionx db upgrade`)"]


async def test_live(client):
    response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready(client):
    response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_not_ready_lists_the_problems(adapters):
    app = create_app(Settings(), dataclasses.replace(adapters, readiness=BrokenDatabase()))
    async with AsyncTestClient(app) as client:
        response = await client.get("/health/ready")
        live = await client.get("/health/live")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/not-ready"
    assert body["problems"] == [
        "database schema at 0001, code expects 0002 (run `fusionx db upgrade`)"
    ]
    assert live.status_code == 200


async def test_shutdown_hooks_run_when_the_app_stops(adapters):
    stopped: list[str] = []

    async def dispose_database() -> None:
        stopped.append("database")

    async def close_push() -> None:
        stopped.append("push")

    app = create_app(
        Settings(), dataclasses.replace(adapters, on_shutdown=(dispose_database, close_push))
    )
    async with AsyncTestClient(app) as client:
        await client.get("/health/live")
        assert stopped == []

    assert stopped == ["database", "push"]


def test_building_the_app_opens_nothing(adapters):
    calls: list[str] = []

    async def hook() -> None:
        calls.append("shutdown")

    create_app(Settings(), dataclasses.replace(adapters, on_shutdown=(hook,)))

    assert calls == []
