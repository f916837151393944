"""The production APNs adapter against a local HTTP/2 server that answers as Apple does:
one test per answer of Apple's that the adapter acts on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.push.apns import ApnsPushSender
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.notifications import AlertText, NotificationState
from fusionx.core.use_cases.commands.dispatch_notifications import DispatchNotifications
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.ports.push_sender import PushOutcome
from tests.factories import open_shift_world
from tests.notifications.helpers import a_device_with_token, outbox, place
from tests.support.apns_server import DROP, GOAWAY, Answer, FakeApns
from tests.support.tls import SelfSigned

TOKEN = "a1" * 32
Apns = tuple[FakeApns, ApnsPushSender]
MESSAGE = AlertText(
    title="New order #12", body="3 items for Ana", data={"order_id": "o-12"},
    collapse_key="order-12",
)  # fmt: skip


@pytest.fixture
async def apns(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Apns]:
    key = ec.generate_private_key(ec.SECP256R1())
    fake = FakeApns(public_key=key.public_key(), key_id="KEY1234567", team_id="TEAM123456",
                    topic="com.fusionx.kds", now=clock.now)  # fmt: skip
    tls = SelfSigned(tmp_path)
    server = await asyncio.start_server(fake.serve, "127.0.0.1", 0, ssl=tls.server_context("h2"))
    port = server.sockets[0].getsockname()[1]
    sender = ApnsPushSender(
        key=key, key_id="KEY1234567", team_id="TEAM123456", topic="com.fusionx.kds",
        host=f"https://127.0.0.1:{port}", clock=clock, ca_file=str(tls.cert_file),
    )  # fmt: skip
    try:
        yield fake, sender
    finally:
        await sender.close()
        server.close()
        await server.wait_closed()


async def test_200_is_delivered_with_a_signed_token_and_apples_headers(
    apns: Apns, clock: ManualClock
) -> None:
    fake, sender = apns

    result = await sender.send(TOKEN, MESSAGE)

    assert result.outcome is PushOutcome.DELIVERED
    [request] = fake.requests
    assert result.provider_ref
    assert request.headers[":path"] == f"/3/device/{TOKEN}"
    assert request.headers["apns-topic"] == "com.fusionx.kds"
    assert request.headers["apns-push-type"] == "alert"
    assert request.headers["apns-priority"] == "10"
    assert request.headers["apns-collapse-id"] == "order-12"
    expires = int(request.headers["apns-expiration"])
    assert expires == int((clock.now() + timedelta(hours=1)).timestamp())
    assert request.claims == {"iss": "TEAM123456", "iat": int(clock.now().timestamp())}
    assert request.payload == {
        "aps": {"alert": {"title": "New order #12", "body": "3 items for Ana"}, "sound": "default"},
        "order_id": "o-12",
    }


async def test_the_provider_token_is_reused_for_40_minutes_then_remade(
    apns: Apns, clock: ManualClock
) -> None:
    fake, sender = apns

    await sender.send(TOKEN, MESSAGE)
    clock.advance(timedelta(minutes=39))
    await sender.send(TOKEN, MESSAGE)
    clock.advance(timedelta(minutes=1))
    await sender.send(TOKEN, MESSAGE)

    assert fake.refused == []
    first, reused, remade = fake.requests
    assert reused.token == first.token
    assert remade.token != first.token
    assert remade.claims["iat"] == int(clock.now().timestamp())
    # One long-lived connection carried all three.
    assert {r.connection for r in fake.requests} == {1}


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        pytest.param(
            Answer(400, "BadDeviceToken"), PushOutcome.TOKEN_INVALID, id="400-bad-token-disables"
        ),
        pytest.param(
            Answer(400, "DeviceTokenNotForTopic"),
            PushOutcome.TOKEN_INVALID,
            id="400-token-not-for-topic-disables",
        ),
        pytest.param(
            Answer(500, "InternalServerError"), PushOutcome.RETRY, id="500-is-retried-later"
        ),
        pytest.param(
            Answer(503, "ServiceUnavailable"), PushOutcome.RETRY, id="503-is-retried-later"
        ),
    ],
)
async def test_an_answer_from_apple_becomes_an_outcome_naming_its_reason(
    apns: Apns, answer: Answer, outcome: PushOutcome
) -> None:
    fake, sender = apns
    fake.script.append(answer)

    result = await sender.send(TOKEN, MESSAGE)

    assert (result.outcome, result.detail) == (outcome, answer.reason)


async def test_410_unregistered_disables_the_token_from_apples_timestamp(apns: Apns) -> None:
    fake, sender = apns
    fake.script.append(Answer(410, "Unregistered", timestamp_ms=1_767_225_600_250))

    result = await sender.send(TOKEN, MESSAGE)

    assert (result.outcome, result.detail) == (PushOutcome.TOKEN_INVALID, "Unregistered")
    assert result.invalid_since == datetime(2026, 1, 1, 0, 0, 0, 250_000, tzinfo=UTC)


async def test_429_is_retried_later_honouring_retry_after(apns: Apns) -> None:
    fake, sender = apns
    fake.script.append(Answer(429, "TooManyRequests", retry_after=30))

    result = await sender.send(TOKEN, MESSAGE)

    assert (result.outcome, result.detail) == (PushOutcome.RETRY, "TooManyRequests")
    assert result.retry_after_seconds == 30


async def test_goaway_reconnects_and_sends_on_a_new_connection(apns: Apns) -> None:
    fake, sender = apns
    await sender.send(TOKEN, MESSAGE)
    fake.script.append(GOAWAY)

    result = await sender.send(TOKEN, MESSAGE)
    after = await sender.send(TOKEN, MESSAGE)

    assert (result.outcome, after.outcome) == (PushOutcome.DELIVERED, PushOutcome.DELIVERED)
    assert [r.connection for r in fake.requests] == [1, 2, 2]


async def test_a_dropped_connection_reconnects(apns: Apns) -> None:
    fake, sender = apns
    await sender.send(TOKEN, MESSAGE)
    fake.script.append(DROP)

    result = await sender.send(TOKEN, MESSAGE)

    assert result.outcome is PushOutcome.DELIVERED
    assert [r.connection for r in fake.requests] == [1, 2]


async def test_a_server_that_keeps_dropping_is_a_retry_not_an_error(apns: Apns) -> None:
    fake, sender = apns
    fake.script.extend([DROP, DROP])

    result = await sender.send(TOKEN, MESSAGE)

    assert result.outcome is PushOutcome.RETRY
    assert fake.requests == []


async def test_expired_provider_token_makes_a_new_one_and_resends(apns: Apns) -> None:
    fake, sender = apns
    fake.script.append(Answer(403, "ExpiredProviderToken"))

    result = await sender.send(TOKEN, MESSAGE)

    assert result.outcome is PushOutcome.DELIVERED
    refused, resent = fake.requests
    assert resent.token != refused.token


async def test_an_invalid_provider_token_is_a_permanent_failure(apns: Apns) -> None:
    fake, sender = apns
    fake.key_id = "OTHERKEY00"

    result = await sender.send(TOKEN, MESSAGE)

    assert (result.outcome, result.detail) == (PushOutcome.FAILED, "InvalidProviderToken")
    assert fake.refused == ["InvalidProviderToken"]


async def test_the_dispatcher_disables_a_device_token_apple_calls_bad(
    apns: Apns, adapters: Adapters
) -> None:
    fake, sender = apns
    world = await open_shift_world(adapters, stock=50)
    device = await a_device_with_token(adapters, world, TOKEN)
    dispatch = DispatchNotifications(
        adapters.uow, adapters.clock, adapters.ids, sender, adapters.sms
    )
    fake.script.append(Answer(400, "BadDeviceToken"))

    await place(adapters, world)
    await dispatch.execute()
    await place(adapters, world)  # nobody left to push to
    await dispatch.execute()

    [refused] = await outbox(adapters, world.truck.id)
    assert (refused.state, refused.last_error) == (NotificationState.FAILED, "BadDeviceToken")
    async with adapters.uow() as uow:
        token = await uow.push_tokens.get(Actor(kind=PrincipalKind.DEVICE, id=device.id))
    assert token is not None
    assert (token.usable, token.disabled_reason) == (False, "BadDeviceToken")
    assert len(fake.requests) == 1
