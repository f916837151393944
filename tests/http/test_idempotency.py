"""Retries with an Idempotency-Key take effect once; the first answer is replayed."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from datetime import timedelta
from uuid import uuid4

import httpx
import pytest

from fusionx.adapters.memory.password_hasher import InMemoryPasswordHasher
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.idempotency import LEASE, TTL, request_fingerprint
from fusionx.entrypoints.settings import Settings
from fusionx.ports.idempotency import IdempotencyClaim
from tests.factories import PASSWORD
from tests.http.conftest import bearer, idempotency_key, on_hand, order_body


@pytest.fixture
async def stocked(fleet, manager, taco_shift, restock):
    await restock(taco_shift, fleet.burrito, 5, manager)
    return taco_shift


async def test_an_order_sent_three_times_is_taken_once(client, fleet, manager, stocked):
    headers = {**manager, **idempotency_key()}
    body = order_body((fleet.burrito, 2))

    responses = [
        await client.post(f"/api/v1/shifts/{stocked.id}/orders", json=body, headers=headers)
        for _ in range(3)
    ]

    assert [r.status_code for r in responses] == [201, 201, 201]
    assert responses[1].content == responses[0].content == responses[2].content
    assert [r.headers.get("Idempotent-Replayed") for r in responses] == [None, "true", "true"]
    assert responses[1].headers["content-type"] == "application/json"
    feed = await client.get(f"/api/v1/shifts/{stocked.id}/tickets", headers=manager)
    assert len(feed.json()["tickets"]) == 1
    assert (await on_hand(client, stocked, manager))["Burrito"] == 3


async def test_a_transition_sent_three_times_moves_once(client, fleet, manager, stocked):
    placed = await client.post(
        f"/api/v1/shifts/{stocked.id}/orders", json=order_body((fleet.burrito, 1)), headers=manager
    )
    ticket_id = placed.json()["ticket"]["id"]
    headers = {**manager, **idempotency_key()}

    responses = [
        await client.post(
            f"/api/v1/tickets/{ticket_id}/transitions",
            json={"to": "in_prep", "version": 1},
            headers=headers,
        )
        for _ in range(3)
    ]

    assert [(r.status_code, r.json()["version"]) for r in responses] == [(200, 2)] * 3
    detail = await client.get(f"/api/v1/orders/{placed.json()['order']['id']}", headers=manager)
    assert [(m["from"], m["to"]) for m in detail.json()["history"]] == [("new", "in_prep")]


async def test_a_stock_adjustment_sent_three_times_counts_once(client, fleet, manager, stocked):
    headers = {**manager, **idempotency_key()}
    body = {"item_id": str(fleet.burrito.id), "reason": "restock", "delta": 4}

    for _ in range(3):
        response = await client.post(
            f"/api/v1/shifts/{stocked.id}/inventory/adjustments", json=body, headers=headers
        )
        assert response.status_code == 201

    assert (await on_hand(client, stocked, manager))["Burrito"] == 9


async def test_the_first_answer_is_replayed_even_when_it_was_a_refusal(
    client, fleet, manager, stocked
):
    headers = {**manager, **idempotency_key()}
    body = order_body((fleet.burrito, 9))

    first = await client.post(f"/api/v1/shifts/{stocked.id}/orders", json=body, headers=headers)
    second = await client.post(f"/api/v1/shifts/{stocked.id}/orders", json=body, headers=headers)

    assert (first.status_code, second.status_code) == (409, 409)
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"


async def test_the_same_key_with_another_body_is_refused(client, fleet, manager, stocked):
    headers = {**manager, **idempotency_key()}
    url = f"/api/v1/shifts/{stocked.id}/orders"
    await client.post(url, json=order_body((fleet.burrito, 1)), headers=headers)

    other = await client.post(url, json=order_body((fleet.burrito, 2)), headers=headers)

    assert other.status_code == 422
    assert other.json()["type"] == "/problems/idempotency-key-reused"
    assert (await on_hand(client, stocked, manager))["Burrito"] == 4


async def test_a_retry_while_the_first_still_runs_is_told_to_wait(
    client, adapters, fleet, manager, stocked
):
    headers = {**manager, **idempotency_key()}
    url = f"/api/v1/shifts/{stocked.id}/orders"
    body = order_body((fleet.burrito, 1))
    # The first request is running on another worker: it holds the key, no answer yet.
    fingerprint = request_fingerprint("POST", url, "", json.dumps(body).encode())
    caller = f"staff:{fleet.taco_manager.id}"
    now = adapters.clock.now()
    claim = await adapters.idempotency.begin(
        caller, headers["Idempotency-Key"], fingerprint, now, ttl=TTL, lease=LEASE
    )
    assert isinstance(claim, IdempotencyClaim)

    response = await client.post(url, content=json.dumps(body), headers=headers)

    assert response.status_code == 409
    assert response.json()["type"] == "/problems/idempotency-in-flight"
    assert response.headers["Retry-After"] == "1"
    assert (await on_hand(client, stocked, manager))["Burrito"] == 5


async def test_keys_are_per_caller_and_last_a_day(client, clock, fleet, sign_in, stocked):
    shared = idempotency_key()
    url = f"/api/v1/shifts/{stocked.id}/orders"
    body = order_body((fleet.burrito, 1))

    await client.post(url, json=body, headers={**await sign_in(fleet.taco_manager), **shared})
    theirs = await client.post(url, json=body, headers={**await sign_in(fleet.taco_crew), **shared})
    clock.advance(TTL - timedelta(seconds=1))
    # Sessions last less than a day: the manager signs in again, still the same caller.
    manager = await sign_in(fleet.taco_manager)
    replayed = await client.post(url, json=body, headers={**manager, **shared})
    clock.advance(timedelta(seconds=1))
    fresh = await client.post(url, json=body, headers={**manager, **shared})

    assert theirs.headers.get("Idempotent-Replayed") is None
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert fresh.headers.get("Idempotent-Replayed") is None
    assert (await on_hand(client, stocked, manager))["Burrito"] == 2


async def test_a_bad_key_names_the_header(client, fleet, manager, stocked):
    response = await client.post(
        f"/api/v1/shifts/{stocked.id}/orders",
        json=order_body((fleet.burrito, 1)),
        headers={**manager, "Idempotency-Key": "x" * 256},
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]


async def test_without_a_credential_a_key_changes_nothing(client, stocked):
    response = await client.post(
        f"/api/v1/shifts/{stocked.id}/orders", json={"lines": []}, headers=idempotency_key()
    )

    assert response.status_code == 401


# POSTs that only read (``idempotency.READS_ONLY``): a retry changes nothing, no key is kept.
READ_ONLY_POSTS = {"queryGraphQL"}


def unsafe_protected_operations(schema: dict):
    for path, item in schema["paths"].items():
        for method in ("post", "put", "patch", "delete"):
            operation = item.get(method)
            if (
                operation is not None
                and "security" in operation
                and operation["operationId"] not in READ_ONLY_POSTS
            ):
                yield path, method, operation


async def test_a_post_that_only_reads_neither_documents_nor_keeps_a_key(client):
    schema = (await client.get("/schema/openapi.json")).json()
    posts = {
        operation["operationId"]: operation
        for item in schema["paths"].values()
        if (operation := item.get("post")) is not None
    }
    for name in READ_ONLY_POSTS:
        parameters = posts[name].get("parameters", ())
        assert "Idempotency-Key" not in {p["name"] for p in parameters}, name


async def test_every_unsafe_operation_documents_the_key_and_its_refusals(client):
    schema = (await client.get("/schema/openapi.json")).json()
    for path, method, operation in unsafe_protected_operations(schema):
        headers = {p["name"]: p for p in operation.get("parameters", ()) if p["in"] == "header"}
        assert "Idempotency-Key" in headers, f"{method.upper()} {path}"
        assert headers["Idempotency-Key"]["schema"]["pattern"] == r"^[\x21-\x7e]{1,255}$"
        # malformed or reused (422), in flight (409), a body over the limit (413)
        assert {"409", "413", "422"} <= operation["responses"].keys(), f"{method.upper()} {path}"


@pytest.mark.parametrize("bad_key", ["x" * 256, "", "with space", "caf\u00e9"])
async def test_a_bad_key_without_credential_is_refused_for_the_credential(client, bad_key):
    schema = (await client.get("/schema/openapi.json")).json()
    for path, method, _ in unsafe_protected_operations(schema):
        url = re.sub(r"\{[^}]+\}", str(uuid4()), path)
        response = await client.request(
            method.upper(), url, json={}, headers={"Idempotency-Key": bad_key.encode()}
        )
        assert response.status_code == 401, f"{method.upper()} {path}: {response.text}"


async def test_a_body_over_the_limit_is_refused_before_it_is_kept(adapters, fleet, stocked):
    app = create_app(Settings(max_body_bytes=1024), adapters)

    async def chunks():  # sent chunked: no Content-Length for the server to check first
        yield b'{"lines": [], "customer_name": "'
        yield b"x" * 2000
        yield b'"}'

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as small:
        login = await small.post(
            "/api/v1/auth/login", json={"email": fleet.taco_manager.email, "password": PASSWORD}
        )
        headers = {**bearer(login.json()["token"]), **idempotency_key()}
        response = await small.post(
            f"/api/v1/shifts/{stocked.id}/orders", content=chunks(), headers=headers
        )

    assert response.status_code == 413


class GatedHasher(InMemoryPasswordHasher):
    """Checks passwords as the in-memory hasher does; once ``armed``, the first check
    waits for ``gate``, as a request held up on a stalled worker would."""

    def __init__(self) -> None:
        self.armed = False
        self.waiting = asyncio.Event()
        self.gate = asyncio.Event()

    async def verify(self, password_hash: str, password: str) -> bool:
        if self.armed:
            self.armed = False
            self.waiting.set()
            await self.gate.wait()
        return await super().verify(password_hash, password)


async def test_a_request_that_outlives_its_lease_keeps_nothing_and_its_retry_runs_once(
    adapters, clock, fleet
):
    hasher = GatedHasher()
    app = create_app(Settings(), dataclasses.replace(adapters, hasher=hasher))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client:
        login = await client.post(
            "/api/v1/auth/login", json={"email": fleet.taco_manager.email, "password": PASSWORD}
        )
        headers = {**bearer(login.json()["token"]), **idempotency_key()}
        new = "a brand new passphrase"
        body = {"current_password": PASSWORD, "new_password": new}

        async def change() -> httpx.Response:
            return await client.post("/api/v1/me/password", json=body, headers=headers)

        hasher.armed = True
        async with asyncio.timeout(30):
            stalled = asyncio.create_task(change())
            await hasher.waiting.wait()  # inside its transaction, checking the password
            clock.advance(LEASE)
            retry = asyncio.create_task(change())  # takes the key over, then waits its turn
            await asyncio.sleep(0.05)
            hasher.gate.set()
            late, retried = await stalled, await retry
        replayed = await change()
        signed_in = await client.post(
            "/api/v1/auth/login", json={"email": fleet.taco_manager.email, "password": new}
        )

    assert late.status_code == 409, late.text
    assert late.json()["type"] == "/problems/idempotency-in-flight"
    assert retried.status_code == 204, retried.text
    assert (replayed.status_code, replayed.headers["Idempotent-Replayed"]) == (204, "true")
    assert signed_in.status_code == 200
