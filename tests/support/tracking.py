"""Orders followed over their tracking links, picked up and reviewed, through the API
(the tracking link itself is issued by the core step, as checkout will at merge)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import httpx

from fusionx.core.use_cases.steps.tracking import issue_tracking
from fusionx.entrypoints.bootstrap import Adapters


async def tracked(
    adapters: Adapters, order_id: UUID | str, *, locale: str | None = None, notify: bool = False
) -> str:
    """Give a placed order its tracking link; the token."""
    async with adapters.uow() as uow:
        order = await uow.orders.get(UUID(str(order_id)))
        assert order is not None
        token = await issue_tracking(
            uow, adapters.ids, adapters.tracking, order, locale=locale, notify=notify
        )
        await uow.commit()
    return token


async def moved(
    client: httpx.AsyncClient, placed: dict[str, Any], headers: dict[str, str], *states: str
) -> None:
    """Move the placed order's ticket through ``states``, one version after another."""
    ticket = placed["ticket"]
    version = ticket["version"]
    for state in states:
        response = await client.post(
            f"/api/v1/tickets/{ticket['id']}/transitions",
            json={"to": state, "version": version},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        version = response.json()["version"]
    ticket["version"] = version


async def reviewed(
    client: httpx.AsyncClient,
    adapters: Adapters,
    placed: dict[str, Any],
    headers: dict[str, str],
    stars: int = 4,
) -> tuple[str, dict[str, Any]]:
    """Pick the placed order up and review it over its tracking link: the token, the review."""
    await moved(client, placed, headers, "in_prep", "ready", "completed")
    token = await tracked(adapters, placed["order"]["id"])
    response = await client.post(
        f"/api/v1/track/{token}/review", json={"stars": stars, "comment": "Great"}
    )
    assert response.status_code == 201, response.text
    return token, response.json()


def sse_messages(text: str) -> list[dict[str, Any]]:
    """The messages of an event stream's body: each with its id, event and JSON data."""
    messages = []
    for block in filter(None, text.replace("\r\n", "\n").strip().split("\n\n")):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        messages.append(
            {**json.loads(fields["data"]), "seq": int(fields["id"]), "event": fields["event"]}
        )
    return messages
