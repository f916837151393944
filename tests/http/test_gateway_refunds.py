"""Refunds of orders paid online go out through the payment gateway: pending until it
answers, then given or refused; a pending one is retried with the same key, once."""

from __future__ import annotations

from collections import deque
from typing import Any
from uuid import UUID, uuid4

import pytest

from fusionx.adapters.payments.recording_gateway import RecordingPaymentGateway
from fusionx.core.model.fleet_events import Stream
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.ports.payment_errors import GatewayUnavailable, InvalidPaymentRequest, PaymentDeclined
from fusionx.ports.refund_gateway import RefundInstruction
from tests.http.conftest import order_body, walk
from tests.support.gateway import SECRET, WEBHOOK, Gateway


class ScriptedGateway(RecordingPaymentGateway):
    """The recording gateway, taking each refund's answer from ``script`` first: an error
    to raise, or ``"crash"`` (it refunds, then the worker dies before hearing back)."""

    def __init__(self) -> None:
        super().__init__()
        self.script: deque[Exception | str] = deque()
        self.calls: list[RefundInstruction] = []

    async def refund(self, instruction: RefundInstruction) -> str:
        self.calls.append(instruction)
        step = self.script.popleft() if self.script else None
        if isinstance(step, Exception):
            raise step
        reference = await super().refund(instruction)
        if step == "crash":
            raise RuntimeError("the worker died before the gateway's answer was recorded")
        return reference


@pytest.fixture
def adapters(clock) -> Adapters:
    wired = in_memory_adapters(clock, payment_webhook_secret=SECRET)
    gateway = ScriptedGateway()
    return Adapters(**{**wired.__dict__, "refunds": gateway, "payments": gateway})


@pytest.fixture
def gateway(adapters: Adapters) -> ScriptedGateway:
    assert isinstance(adapters.refunds, ScriptedGateway)
    return adapters.refunds


@pytest.fixture
async def paid(client, clock, fleet, manager, taco_shift, restock) -> dict[str, Any]:  # noqa: PLR0917
    """2 burritos and 1 horchata (2250 cents) ordered online and paid as ``pi_1``."""
    await restock(taco_shift, fleet.burrito, 5, manager)
    await restock(taco_shift, fleet.horchata, 5, manager)
    placed = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json=order_body((fleet.burrito, 2), (fleet.horchata, 1), channel="online"),
        headers=manager,
    )
    order = placed.json()["order"]
    notice = Gateway()
    body, headers = notice.signed(
        notice.event(order["id"], order["total_cents"], payment_id="pi_1"), clock.now()
    )
    answer = await client.post(WEBHOOK, content=body, headers=headers)
    assert answer.json()["outcome"] == "queued", answer.text
    return order


def refunds_of(order: dict[str, Any]) -> str:
    return f"/api/v1/orders/{order['id']}/refunds"


def retry_of(order: dict[str, Any], refund_id: str) -> str:
    return f"{refunds_of(order)}/{refund_id}/retry"


ONE_BURRITO = {"reason": "customer_request", "lines": [{"line": 0, "quantity": 1}]}


async def detail_of(client, order, manager) -> dict[str, Any]:
    response = await client.get(f"/api/v1/orders/{order['id']}", headers=manager)
    assert response.status_code == 200
    return response.json()


async def event_types(adapters: Adapters, order: dict[str, Any]) -> list[str]:
    async with adapters.uow() as uow:
        events = await uow.events.since(UUID(order["shift_id"]), 0)
    return [e.type.value for e in events if e.type.value.startswith("order.refund")]


async def test_a_refund_goes_to_the_gateway_with_its_id_as_the_key(
    client, adapters, gateway, manager, paid
):
    response = await client.post(refunds_of(paid), json=ONE_BURRITO, headers=manager)

    assert response.status_code == 201, response.text
    refund = response.json()
    assert (refund["status"], refund["amount_cents"], refund["failure"]) == ("succeeded", 950, None)
    (sent,) = gateway.calls
    assert (str(sent.refund_id), sent.payment_reference, sent.amount_cents) == (
        refund["id"], "pi_1", 950,
    )  # fmt: skip
    assert sent.idempotency_key == refund["id"]
    assert refund["reference"] == f"recorded-{refund['id']}"
    detail = await detail_of(client, paid, manager)
    assert detail["payment"] == {
        "state": "partially_refunded",
        "paid_cents": 2250,
        "refunded_cents": 950,
    }
    assert await event_types(adapters, paid) == ["order.refund_requested", "order.refunded"]


async def test_a_refund_the_gateway_refuses_is_shown_as_failed_never_as_given(
    client, adapters, gateway, manager, paid
):
    gateway.script.append(PaymentDeclined("The card has expired", code="expired_card"))

    refused = await client.post(refunds_of(paid), json=ONE_BURRITO, headers=manager)
    detail = await detail_of(client, paid, manager)
    again = await client.post(retry_of(paid, refused.json()["refund_id"]), headers=manager)
    anew = await client.post(refunds_of(paid), json=ONE_BURRITO, headers=manager)

    assert refused.status_code == 502
    problem = refused.json()
    assert (problem["type"], problem["status"], problem["gateway_code"]) == (
        "/problems/refund-failed", "failed", "expired_card",
    )  # fmt: skip
    (kept,) = detail["refunds"]
    assert (kept["id"], kept["status"], kept["reference"]) == (problem["refund_id"], "failed", None)
    assert "expired_card" in kept["failure"]
    assert detail["payment"] == {"state": "paid", "paid_cents": 2250, "refunded_cents": 0}
    assert [line["refunded_quantity"] for line in detail["lines"]] == [0, 0]
    assert again.status_code == 409  # final: a new refund is a new decision
    assert (anew.status_code, anew.json()["status"]) == (201, "succeeded")
    assert await event_types(adapters, paid) == [
        "order.refund_requested", "order.refund_failed",
        "order.refund_requested", "order.refunded",
    ]  # fmt: skip


async def test_a_parameter_the_gateway_refuses_is_named(client, gateway, manager, paid):
    gateway.script.append(InvalidPaymentRequest("Amount too large", field="amount"))

    refused = await client.post(refunds_of(paid), json=ONE_BURRITO, headers=manager)

    assert refused.status_code == 502
    assert refused.json()["field"] == "amount"


async def test_no_answer_leaves_it_pending_holding_its_money_until_a_retry_gives_it(
    client, adapters, gateway, manager, paid
):
    detail = await detail_of(client, paid, manager)
    await walk(client, detail["ticket"], manager, "in_prep", "ready", "completed")
    gateway.script.append(GatewayUnavailable("The gateway did not answer in time"))

    pending = await client.post(refunds_of(paid), json={"reason": "duplicate"}, headers=manager)
    refund_id = pending.json()["refund_id"]
    meanwhile = await detail_of(client, paid, manager)
    twice = await client.post(refunds_of(paid), json={"reason": "duplicate"}, headers=manager)
    retried = await client.post(retry_of(paid, refund_id), headers=manager)
    after = await detail_of(client, paid, manager)
    once_more = await client.post(retry_of(paid, refund_id), headers=manager)

    assert pending.status_code == 503
    assert pending.json()["type"] == "/problems/refund-pending"
    assert pending.headers["Retry-After"] == "30"
    assert [r["status"] for r in meanwhile["refunds"]] == ["pending"]
    assert meanwhile["ticket"]["state"] == "completed"
    assert meanwhile["payment"]["refunded_cents"] == 0
    assert twice.status_code == 409  # the pending refund holds all that was paid
    assert (retried.status_code, retried.json()["status"]) == (201, "succeeded")
    assert retried.json()["id"] == refund_id
    assert after["ticket"]["state"] == "refunded"
    assert after["payment"] == {"state": "refunded", "paid_cents": 2250, "refunded_cents": 2250}
    assert (once_more.status_code, once_more.json()) == (201, retried.json())
    assert [str(call.refund_id) for call in gateway.calls] == [refund_id, refund_id]


async def test_a_crash_between_the_gateway_and_the_record_is_completed_once_by_a_retry(  # noqa: PLR0917
    client, adapters, fleet, gateway, manager, paid
):
    gateway.script.append("crash")

    crashed = await client.post(refunds_of(paid), json=ONE_BURRITO, headers=manager)
    (pending,) = (await detail_of(client, paid, manager))["refunds"]
    retried = await client.post(retry_of(paid, pending["id"]), headers=manager)

    assert crashed.status_code == 500
    assert pending["status"] == "pending"
    assert (retried.status_code, retried.json()["status"]) == (201, "succeeded")
    # The same refund id both times: the gateway refunded once, and said so again.
    assert [c.idempotency_key for c in gateway.calls] == [pending["id"], pending["id"]]
    assert len(gateway.refunds) == 1
    assert retried.json()["reference"] == gateway.refunds[0].reference
    # On the truck's audit stream: the decision as pending, then the gateway's answer.
    async with adapters.uow() as uow:
        log = await uow.fleet_events.read(Stream.truck(fleet.taco.id))
    trail = [(e.type.value, e.data.refund.status.value) for e in log if "refund" in e.type.value]
    assert trail == [("order.refunded", "pending"), ("order.refund_settled", "succeeded")]


async def test_only_the_trucks_managers_retry_a_refund_of_its_own_orders(  # noqa: PLR0917
    client, sign_in, fleet, taco_device, outsiders, gateway, manager, paid
):
    gateway.script.append(GatewayUnavailable("down"))
    refund_id = (await client.post(refunds_of(paid), json=ONE_BURRITO, headers=manager)).json()[
        "refund_id"
    ]

    for headers in (await sign_in(fleet.taco_crew), taco_device):
        assert (await client.post(retry_of(paid, refund_id), headers=headers)).status_code == 403
    for headers in outsiders:
        assert (await client.post(retry_of(paid, refund_id), headers=headers)).status_code == 404
    unknown = await client.post(retry_of(paid, str(uuid4())), headers=manager)
    elsewhere = await client.post(
        f"/api/v1/orders/{uuid4()}/refunds/{refund_id}/retry", headers=manager
    )
    malformed = await client.post(retry_of(paid, "not-a-uuid"), headers=manager)

    assert (unknown.status_code, elsewhere.status_code) == (404, 404)
    assert malformed.status_code in (400, 404)
    assert gateway.calls[1:] == []
