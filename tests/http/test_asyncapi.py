"""The event stream's AsyncAPI document names every event, and real events keep to it.

A scenario drives one shift through everything that logs an event (check-in, stock,
orders paid online or not, moves, cancellation, refund, menu and capacity changes, a
device going quiet and coming back, pause, resume, checkout), then reads the stream over
the WebSocket as TruckKDS would and validates each message against the document.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
import pytest
from jsonschema import Draft202012Validator
from litestar.testing import AsyncTestClient

from fusionx.adapters.payments.recording_gateway import RecordingPaymentGateway
from fusionx.core.model.events import EventType
from fusionx.core.use_cases.commands.sweep_stale_devices import SweepStaleDevices
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.asyncapi import CHANNEL, asyncapi_document
from fusionx.entrypoints.http.controllers import events as stream_controller
from fusionx.entrypoints.http.schemas.stream import (
    CLOSE_CODES,
    EVENT_DATA,
    NOT_ON_THE_STREAM,
    CloseCode,
    recorded,
)
from fusionx.entrypoints.settings import Settings
from fusionx.ports.payment_errors import PaymentDeclined
from fusionx.ports.refund_gateway import RefundInstruction
from tests.http.conftest import bearer, order_body
from tests.support.gateway import SECRET, WEBHOOK, Gateway

README = Path(__file__).resolve().parents[2] / "README.md"


class RefusingOnce(RecordingPaymentGateway):
    """Refuses the first refund sent to it (for ``order.refund_failed``), then records."""

    async def refund(self, instruction: RefundInstruction) -> str:
        if not getattr(self, "refused", False):
            self.refused = True
            raise PaymentDeclined("The card has expired", code="expired_card")
        return await super().refund(instruction)


@pytest.fixture
def adapters(clock) -> Adapters:
    wired = in_memory_adapters(clock, payment_webhook_secret=SECRET)
    return dataclasses.replace(wired, refunds=RefusingOnce())


@pytest.fixture
def document() -> dict[str, Any]:
    return asyncapi_document()


def test_every_event_type_the_core_can_log_is_a_message(document):
    messages = document["components"]["messages"]
    receive = document["operations"]["receiveShiftEvents"]["messages"]
    listed = {ref["$ref"].rsplit("/", 1)[-1] for ref in receive}

    assert {e.value for e in EventType} == listed
    assert {e.value for e in EventType} | {"ping", "pong", "auth"} == set(messages)
    assert set(EVENT_DATA) == set(EventType)
    channel = document["channels"][CHANNEL]
    assert set(channel["messages"]) == set(messages)


def test_every_close_code_the_stream_uses_is_documented(document):
    used = {
        value
        for name, value in inspect.getmembers(stream_controller)
        if name.startswith("CLOSE_") and isinstance(value, int)
    }
    documented = {int(code) for code in document["components"]["x-close-codes"]}

    assert used <= documented
    assert documented == {code.value for code in CloseCode} == set(map(int, CLOSE_CODES))
    for code in documented:
        assert f"| {code} |" in document["info"]["description"]
        assert str(code) in README.read_text(encoding="utf-8"), f"README: close code {code}"


async def test_the_document_is_served_beside_the_openapi_one(client, document):
    response = await client.get("/schema/asyncapi.json")

    assert response.status_code == 200
    assert response.json() == msgspec.json.decode(msgspec.json.encode(document))
    assert response.json()["asyncapi"].startswith("3.")


async def test_real_events_of_every_type_keep_to_their_schema(adapters, clock, fleet, document):
    app = create_app(Settings(), adapters)
    async with AsyncTestClient(app) as client:
        shift_id, device_token = await _every_kind_of_event(client, adapters, clock, fleet)
        url = f"/api/v1/shifts/{shift_id}/events"
        logged = await _last_seq(adapters, shift_id)
        with await client.websocket_connect(url, headers=bearer(device_token)) as socket:
            messages = [socket.receive_json(timeout=5) for _ in range(logged)]

    seen = {message["type"] for message in messages}
    assert seen == {e.value for e in EventType}, "the scenario must log every event type"
    validators = _validators(document)
    for message in messages:
        errors = [e.message for e in validators[message["type"]].iter_errors(message)]
        assert errors == [], f"{message['type']} (seq {message['seq']}): {errors}"
    await _nothing_recorded_is_left_out(adapters, shift_id, document)


async def _nothing_recorded_is_left_out(adapters, shift_id, document) -> None:
    """What the core records for an event is on the wire, bar what devices must not see:
    a field added to an event is either published or deliberately withheld."""
    async with adapters.uow() as uow:
        events = await uow.events.since(UUID(shift_id), 0, 10_000)
    assert events
    schemas = document["components"]["schemas"]
    for event in events:
        published = _fields(schemas, EVENT_DATA[event.type].__name__)
        for path in _fields_of(recorded(event.data)):
            if path.rsplit(".", 1)[-1] not in NOT_ON_THE_STREAM:
                assert path in published, f"{event.type.value}: `{path}` is not published"


def _fields(schemas: dict[str, Any], name: str, prefix: str = "") -> set[str]:
    found = set()
    for field, schema in schemas[name].get("properties", {}).items():
        found.add(prefix + field)
        for ref in re.findall(r"#/components/schemas/(\w+)", str(schema)):
            if schemas[ref].get("type") == "object":
                found |= _fields(schemas, ref, f"{prefix}{field}.")
    return found


def _fields_of(data: Any, prefix: str = "") -> set[str]:
    found = set()
    if isinstance(data, list):
        for item in data:
            found |= _fields_of(item, prefix)
    elif isinstance(data, dict):
        for key, value in data.items():
            found.add(prefix + key)
            found |= _fields_of(value, f"{prefix}{key}.")
    return found


def _validators(document: dict[str, Any]) -> dict[str, Draft202012Validator]:
    components = {"components": document["components"]}
    return {
        name: Draft202012Validator(
            message["payload"] | components, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        for name, message in document["components"]["messages"].items()
    }


async def _last_seq(adapters: Adapters, shift_id: str) -> int:
    async with adapters.uow() as uow:
        return await uow.events.last_seq(UUID(shift_id))


async def _every_kind_of_event(client, adapters, clock, fleet) -> tuple[str, str]:
    """Drive one shift through every event type; its id and its device's credential."""

    async def call(method: str, url: str, body: Any = None, as_: Any = None) -> Any:
        response = await client.request(method, url, json=body, headers=as_ or manager)
        assert response.status_code < 300, f"{method} {url}: {response.text}"
        return response.json() if response.content else None

    login = {"email": fleet.taco_manager.email, "password": "correct horse battery"}
    manager = bearer((await client.post("/api/v1/auth/login", json=login)).json()["token"])
    owner_login = {"email": fleet.owner.email, "password": "correct horse battery"}
    owner = bearer((await client.post("/api/v1/auth/login", json=owner_login)).json()["token"])
    truck, burrito = fleet.taco.id, fleet.burrito
    device = await call(
        "POST",
        f"/api/v1/trucks/{truck}/devices",
        {"label": "Grill", "platform": "ipados", "app_version": "1.0", "os_version": "17"},
    )
    tablet = bearer(device["credential"])
    shift = (
        await call(
            "POST", "/api/v1/shifts", {"truck_id": str(truck), "location_id": str(fleet.plaza.id)}
        )
    )["id"]
    base = f"/api/v1/shifts/{shift}"
    beat = {"app_version": "1.0", "os_version": "17", "last_seq": 0}
    await call("POST", "/api/v1/devices/heartbeat", beat, as_=tablet)
    # stock.changed and item.back_in_stock, then item.sold_out with the last ones
    await call(
        "POST",
        f"{base}/inventory/adjustments",
        {"item_id": str(burrito.id), "reason": "restock", "delta": 3},
    )
    # order.created and ticket.state_changed
    first = await call("POST", f"{base}/orders", order_body((burrito, 1)))
    ticket = first["ticket"]
    moved = await call(
        "POST",
        f"/api/v1/tickets/{ticket['id']}/transitions",
        {"to": "in_prep", "version": ticket["version"]},
    )
    # order.cancelled
    second = await call("POST", f"{base}/orders", order_body((burrito, 2)))
    await call(
        "POST",
        f"/api/v1/tickets/{second['ticket']['id']}/transitions",
        {
            "to": "cancelled",
            "version": second["ticket"]["version"],
            "cancel_reason": "customer_request",
        },
    )
    # order.refunded, once the first order is made and handed over
    for target in ("ready", "completed"):
        moved = await call(
            "POST",
            f"/api/v1/tickets/{ticket['id']}/transitions",
            {"to": target, "version": moved["version"]},
        )
    await call(
        "POST", f"/api/v1/orders/{first['order']['id']}/refunds", {"reason": "kitchen_error"}
    )
    # order.awaiting_payment, order.payment_failed, order.paid; then order.needs_refund
    gateway = Gateway()

    async def notify(order: dict[str, Any], amount: int, kind: str = "payment.succeeded") -> None:
        body, headers = gateway.signed(gateway.event(order["id"], amount, kind), clock.now())
        response = await client.post(WEBHOOK, content=body, headers=headers)
        assert response.status_code == 200, response.text

    online = (await call("POST", f"{base}/orders", order_body((burrito, 1), channel="online")))[
        "order"
    ]
    await notify(online, online["total_cents"], "payment.failed")
    await notify(online, online["total_cents"])
    short = (await call("POST", f"{base}/orders", order_body((burrito, 1), channel="online")))[
        "order"
    ]
    await notify(short, short["total_cents"] + 1)
    # order.refund_requested, order.refund_failed (the gateway refuses), order.refunded
    refused = await client.post(
        f"/api/v1/orders/{short['id']}/refunds", json={"reason": "out_of_stock"}, headers=manager
    )
    assert refused.status_code == 502, refused.text
    await call("POST", f"/api/v1/orders/{short['id']}/refunds", {"reason": "out_of_stock"})
    # item.sold_out: the last burrito
    await call("POST", f"{base}/orders", order_body((burrito, 1)))
    # menu.changed and capacity.changed
    await call(
        "POST",
        f"{base}/specials",
        {"name": "Elote", "price_cents": 400, "stock": 5, "category_id": str(burrito.category_id)},
    )
    await call("PUT", f"{base}/capacity", {"slots": {"slot_minutes": 15, "orders_per_slot": 10}})
    # device.stale, then device.back_online
    clock.advance(adapters.device_stale_after + timedelta(seconds=1))
    await SweepStaleDevices(adapters.uow, adapters.clock, adapters.device_stale_after).execute()
    await call("POST", "/api/v1/devices/heartbeat", beat, as_=tablet)
    # shift.paused, shift.resumed, shift.closed
    await call("POST", f"{base}/pause")
    await call("POST", f"{base}/resume")
    await call("POST", f"{base}/checkout", {"force": True, "reason": "end of service"}, as_=owner)
    return shift, device["credential"]
