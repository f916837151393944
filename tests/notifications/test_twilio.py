"""The production SMS adapter against a local server speaking Twilio's Messages API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from fusionx.adapters.sms.twilio import TwilioSmsSender
from fusionx.core.model.notifications import NotificationState
from fusionx.core.use_cases.commands.dispatch_notifications import DispatchNotifications
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.ports.sms_sender import SmsOutcome
from tests.factories import open_shift_world
from tests.notifications.helpers import give_phone, outbox, place
from tests.support.sms_server import FakeTwilio, SmsServer

SID = "AC" + "0" * 32
CALLBACK = "https://api.fusionx.test/api/v1/sms/status"


@pytest.fixture
def twilio() -> Iterator[tuple[FakeTwilio, str]]:
    fake = FakeTwilio(account_sid=SID, auth_token="sms-secret")
    with SmsServer(fake) as server:
        yield fake, server.url


@pytest.fixture
async def sender(twilio: tuple[FakeTwilio, str]) -> AsyncIterator[TwilioSmsSender]:
    sender = TwilioSmsSender(
        base_url=twilio[1], account_sid=SID, auth_token="sms-secret", sender="+15005550006",
        status_callback_url=CALLBACK,
    )  # fmt: skip
    yield sender
    await sender.close()


async def test_a_text_is_posted_form_encoded_with_basic_auth_and_accepted(
    twilio: tuple[FakeTwilio, str], sender: TwilioSmsSender
) -> None:
    fake, _ = twilio

    result = await sender.send("+447700900123", "New order #3: 2 items")

    assert result.outcome is SmsOutcome.ACCEPTED
    assert result.provider_ref == f"SM{1:032x}"
    assert fake.received == [
        {"To": "+447700900123", "From": "+15005550006", "Body": "New order #3: 2 items",
         "StatusCallback": CALLBACK},
    ]  # fmt: skip


async def test_a_messaging_service_replaces_the_from_number(
    twilio: tuple[FakeTwilio, str],
) -> None:
    fake, url = twilio
    sender = TwilioSmsSender(
        base_url=url,
        account_sid=SID,
        auth_token="sms-secret",
        messaging_service_sid="MG" + "1" * 32,
    )
    try:
        assert (await sender.send("+447700900123", "hi")).outcome is SmsOutcome.ACCEPTED
    finally:
        await sender.close()
    assert fake.received[0]["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in fake.received[0]
    assert "StatusCallback" not in fake.received[0]


@pytest.mark.parametrize(
    ("code", "detail"),
    [(21211, "invalid number"), (21610, "opted out (STOP)"), (21614, "not a mobile number")],
)
async def test_permanent_refusals_of_the_number_are_not_retried(
    twilio: tuple[FakeTwilio, str], sender: TwilioSmsSender, code: int, detail: str
) -> None:
    twilio[0].script.append((400, code))

    result = await sender.send("+447700900123", "hi")

    assert (result.outcome, result.detail) == (SmsOutcome.NUMBER_REJECTED, f"{code}: {detail}")


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (500, None), (503, None)])
async def test_rate_limits_and_server_errors_are_retried(
    twilio: tuple[FakeTwilio, str], sender: TwilioSmsSender, status: int, code: int | None
) -> None:
    twilio[0].script.append((status, code))

    assert (await sender.send("+447700900123", "hi")).outcome is SmsOutcome.RETRY


async def test_other_refusals_fail_without_blaming_the_number(
    twilio: tuple[FakeTwilio, str],
) -> None:
    sender = TwilioSmsSender(
        base_url=twilio[1], account_sid=SID, auth_token="wrong", sender="+15005550006"
    )
    try:
        result = await sender.send("+447700900123", "hi")
    finally:
        await sender.close()

    assert (result.outcome, result.detail) == (SmsOutcome.FAILED, "20003: Authenticate")


async def test_an_unreachable_provider_is_a_retry() -> None:
    sender = TwilioSmsSender(base_url="http://127.0.0.1:9", account_sid=SID, auth_token="x",
                             sender="+15005550006")  # fmt: skip
    try:
        assert (await sender.send("+447700900123", "hi")).outcome is SmsOutcome.RETRY
    finally:
        await sender.close()


async def test_the_dispatcher_blocks_a_number_that_replied_stop(
    adapters: Adapters, twilio: tuple[FakeTwilio, str], sender: TwilioSmsSender
) -> None:
    fake, _ = twilio
    world = await open_shift_world(adapters, stock=50)
    await give_phone(adapters, world.manager, "+447700900123")
    fake.script.append((400, 21610))
    dispatch = DispatchNotifications(
        adapters.uow, adapters.clock, adapters.ids, adapters.push, sender
    )

    await place(adapters, world)
    await dispatch.execute()
    await place(adapters, world)
    await dispatch.execute()

    first, second = await outbox(adapters, world.truck.id)
    assert first.state is second.state is NotificationState.FAILED
    assert second.last_error == "number blocked: 21610: opted out (STOP)"
    assert len(fake.received) == 1
