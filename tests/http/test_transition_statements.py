"""A kitchen transition through the API on PostgreSQL, counted (issue #20): the
credential is one read, the ticket with its truck one read, and every write of the move
(the ticket, its history, the event numbered from the shift's counter, its NOTIFY) one
statement, which reads the webhook endpoints subscribed to the event as well, so that
the commit's reactions need read nothing more."""

from __future__ import annotations

import pytest

from tests.support.driver_reads import every_statement
from tests.support.hostile import Scene

pytestmark = pytest.mark.postgres


async def test_a_transition_writes_in_one_statement_after_two_reads(
    postgres_scene: Scene,
) -> None:
    scene = postgres_scene
    shift_id, item_id = scene.ids["shift_id"], scene.ids["item_id"]
    placed = await scene.client.post(
        f"/api/v1/shifts/{shift_id}/orders",
        json={"lines": [{"item_id": item_id, "quantity": 1}]},
        headers=scene.owner_headers,
    )
    assert placed.status_code == 201, placed.text
    ticket = placed.json()["ticket"]

    with every_statement() as seen:
        moved = await scene.client.post(
            f"/api/v1/tickets/{ticket['id']}/transitions",
            json={"to": "in_prep", "version": ticket["version"]},
            headers=scene.device_headers,
        )

    assert moved.status_code == 200, moved.text
    credential, read, write, *reactions = seen
    assert credential.startswith("SELECT")
    assert "access_tokens" in credential
    assert read.startswith("SELECT")
    assert "FROM tickets t JOIN shifts s" in read
    assert write.startswith("WITH moved AS ( UPDATE tickets")
    for part in ("INSERT INTO ticket_transitions", "UPDATE shifts", "INSERT INTO shift_events"):
        assert part in write
    assert "pg_notify" in write
    # The webhook endpoints the commit's reaction needs are read by the move itself
    # (customer messages only on a move to ready); nothing is due, so nothing more runs.
    assert "FROM webhook_endpoints" in write
    assert reactions == []
