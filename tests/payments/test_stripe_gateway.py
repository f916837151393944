"""The Stripe adapter against a local server speaking Stripe's API over real sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from uuid import UUID

import pytest

from fusionx.adapters.payments.stripe_gateway import StripePaymentGateway, encode_form
from fusionx.ports.payment_errors import GatewayUnavailable, InvalidPaymentRequest, PaymentDeclined
from fusionx.ports.payment_gateway import IntentStatus, PaymentIntentRequest
from fusionx.ports.refund_gateway import RefundInstruction
from tests.support.stripe_server import API_KEY, FakeStripe, StripeServer

ORDER = UUID("01938f6c-0000-7000-8000-000000000001")
REFUND = UUID("01938f6c-0000-7000-8000-0000000000aa")


@pytest.fixture
def stripe() -> Iterator[tuple[FakeStripe, str]]:
    fake = FakeStripe(slow_seconds=0.6)
    with StripeServer(fake) as server:
        yield fake, server.url


@pytest.fixture
async def gateway(stripe: tuple[FakeStripe, str]) -> AsyncIterator[StripePaymentGateway]:
    gateway = StripePaymentGateway(
        api_key=API_KEY, api_url=stripe[1], timeout_seconds=0.3, backoff_seconds=0.01
    )
    yield gateway
    await gateway.close()


def intent_for(order_id: UUID = ORDER, amount: int = 1900) -> PaymentIntentRequest:
    return PaymentIntentRequest(order_id=order_id, amount_cents=amount, currency="eur")


def refund_of(payment: str, amount: int = 500, refund_id: UUID = REFUND) -> RefundInstruction:
    return RefundInstruction(
        refund_id=refund_id, order_id=ORDER, amount_cents=amount, reason="wrong_order",
        payment_reference=payment,
    )  # fmt: skip


def test_nested_keys_are_form_encoded_as_stripe_reads_them() -> None:
    form = {"amount": 1900, "metadata": {"order_id": ORDER, "note": "a&b c"}}

    assert encode_form(form) == (
        f"amount=1900&metadata%5Border_id%5D={ORDER}&metadata%5Bnote%5D=a%26b+c"
    )


async def test_an_intent_is_created_in_cents_with_the_order_as_metadata(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    fake, _ = stripe

    intent = await gateway.create_intent(intent_for())

    assert (intent.order_id, intent.amount_cents, intent.currency) == (ORDER, 1900, "eur")
    assert intent.status is IntentStatus.AWAITING_CUSTOMER
    assert intent.client_secret
    path, form, key = fake.received[0]
    assert path == "/v1/payment_intents"
    assert form["amount"] == "1900"
    assert form["metadata[order_id]"] == str(ORDER)
    assert key == f"fusionx-order-{ORDER}-intent"


async def test_creating_the_intent_of_an_order_twice_makes_one(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    fake, _ = stripe

    first = await gateway.create_intent(intent_for())
    again = await gateway.create_intent(intent_for())
    other = await gateway.create_intent(intent_for(UUID(int=7)))

    assert again == first
    assert other.id != first.id
    assert len(fake.intents) == 2


async def test_an_intent_is_read_and_cancelled(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    fake, _ = stripe
    created = await gateway.create_intent(intent_for())
    fake.succeed(created.id)

    assert (await gateway.get_intent(created.id)).status is IntentStatus.SUCCEEDED
    other = await gateway.create_intent(intent_for(UUID(int=7)))
    assert (await gateway.cancel_intent(other.id)).status is IntentStatus.CANCELLED


async def test_an_unknown_or_malformed_intent_id_names_the_field(
    gateway: StripePaymentGateway,
) -> None:
    with pytest.raises(InvalidPaymentRequest) as unknown:
        await gateway.get_intent("pi_missing")
    with pytest.raises(InvalidPaymentRequest) as malformed:
        await gateway.get_intent("../v1/refunds")

    assert (unknown.value.field, unknown.value.code) == ("id", "resource_missing")
    assert malformed.value.field == "intent_id"


async def test_a_refund_is_sent_with_its_own_id_as_the_idempotency_key(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    fake, _ = stripe
    intent = await gateway.create_intent(intent_for())

    reference = await gateway.refund(refund_of(intent.id))

    assert fake.refunds[reference]["amount"] == 500
    assert fake.refunds[reference]["metadata"] == {
        "order_id": str(ORDER), "refund_id": str(REFUND), "reason": "wrong_order",
    }  # fmt: skip
    assert fake.received[-1][2] == str(REFUND)


async def test_a_declined_request_is_a_decline_and_not_retried(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    fake, _ = stripe
    fake.script.append("decline")

    with pytest.raises(PaymentDeclined) as declined:
        await gateway.create_intent(intent_for())

    assert declined.value.code == "card_declined"
    assert len(fake.received) == 1


async def test_a_refused_parameter_is_named(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    fake, _ = stripe
    intent = await gateway.create_intent(intent_for())

    with pytest.raises(InvalidPaymentRequest) as too_much:
        await gateway.refund(refund_of(intent.id, amount=5000))
    fake.script.append("invalid:currency")
    with pytest.raises(InvalidPaymentRequest) as scripted:
        await gateway.create_intent(intent_for(UUID(int=9)))

    assert (too_much.value.field, too_much.value.code) == ("amount", "amount_too_large")
    assert scripted.value.field == "currency"
    assert fake.refunds == {}


async def test_a_refund_without_a_gateway_payment_is_refused_before_sending(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    with pytest.raises(InvalidPaymentRequest) as refused:
        await gateway.refund(refund_of(""))

    assert refused.value.field == "payment_intent"
    assert stripe[0].received == []


async def test_a_server_error_is_retried_with_the_same_key(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    fake, _ = stripe
    intent = await gateway.create_intent(intent_for())
    fake.script.extend(["unavailable", "unavailable"])

    reference = await gateway.refund(refund_of(intent.id))

    sent = [key for path, _, key in fake.received if path == "/v1/refunds"]
    assert sent == [str(REFUND)] * 3
    assert list(fake.refunds) == [reference]


async def test_a_gateway_failing_every_attempt_is_unavailable(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    fake, _ = stripe
    fake.script.extend(["unavailable"] * 3)

    with pytest.raises(GatewayUnavailable):
        await gateway.create_intent(intent_for())

    assert len(fake.received) == 3
    assert fake.intents == {}


async def test_a_timeout_is_retried_and_the_replay_refunds_once(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    fake, _ = stripe
    intent = await gateway.create_intent(intent_for())
    fake.script.append("slow")  # done at the gateway, but the answer comes too late

    reference = await gateway.refund(refund_of(intent.id))

    assert list(fake.refunds) == [reference]
    assert [key for path, _, key in fake.received if path == "/v1/refunds"] == [str(REFUND)] * 2


async def test_a_timeout_on_every_attempt_is_unavailable(stripe: tuple[FakeStripe, str]) -> None:
    fake, url = stripe
    fake.script.extend(["slow"] * 2)
    gateway = StripePaymentGateway(
        api_key=API_KEY, api_url=url, timeout_seconds=0.2, attempts=1, backoff_seconds=0
    )
    try:
        with pytest.raises(GatewayUnavailable, match="in time"):
            await gateway.create_intent(intent_for())
    finally:
        await gateway.close()


async def test_a_wrong_key_is_unavailable_and_not_retried(stripe: tuple[FakeStripe, str]) -> None:
    fake, url = stripe
    gateway = StripePaymentGateway(api_key="sk_test_wrong", api_url=url, backoff_seconds=0)
    try:
        with pytest.raises(GatewayUnavailable, match="API Key"):
            await gateway.create_intent(intent_for())
    finally:
        await gateway.close()

    assert len(fake.received) == 0  # refused at the door: never reached the API


async def test_a_key_reused_with_other_parameters_names_the_key(
    stripe: tuple[FakeStripe, str], gateway: StripePaymentGateway
) -> None:
    intent = await gateway.create_intent(intent_for())
    await gateway.refund(refund_of(intent.id, amount=100))

    with pytest.raises(InvalidPaymentRequest) as reused:
        await gateway.refund(refund_of(intent.id, amount=200))

    assert reused.value.field == "Idempotency-Key"


async def test_an_unreachable_gateway_is_unavailable() -> None:
    gateway = StripePaymentGateway(
        api_key=API_KEY, api_url="http://127.0.0.1:9", attempts=2, backoff_seconds=0
    )
    try:
        with pytest.raises(GatewayUnavailable, match="cannot be reached"):
            await gateway.refund(refund_of("pi_1"))
    finally:
        await gateway.close()
