"""DispatchNotifications on the in-memory adapters with fake senders: at least once,
every attempt recorded, backoff, fallbacks, blocklist and cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.notifications import AttemptOutcome, Channel, NotificationState
from fusionx.core.model.push_tokens import PushToken
from fusionx.core.model.staff import Role
from fusionx.core.rules.alerts import MAX_ATTEMPTS
from fusionx.core.use_cases.commands.dispatch_notifications import LEASE, SMS_HOURLY_CAP
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.ports.push_sender import PushOutcome, PushResult
from fusionx.ports.sms_sender import SmsOutcome, SmsResult
from tests.factories import as_principal, make_staff, open_shift_world
from tests.notifications.helpers import (
    a_push_token,
    dispatcher,
    give_phone,
    one_push_pending,
    outbox,
    place,
    register_token,
)


async def test_a_delivered_push_is_sent_once_with_its_attempt_recorded(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await one_push_pending(adapters)
    dispatch = dispatcher(adapters)

    assert await dispatch.run() == 1
    assert await dispatch.run() == 0

    assert [token for token, _ in dispatch.push.sent] == [a_push_token(1)]
    [sent] = await outbox(adapters, world.truck.id)
    assert (sent.state, sent.attempts, sent.sent_at) == (NotificationState.SENT, 1, clock.now())
    assert sent.provider_ref == "apns-1"
    async with adapters.uow() as uow:
        attempts = await uow.outbox.attempts(sent.id)
    assert [(a.number, a.outcome, a.address) for a in attempts] == [
        (1, AttemptOutcome.DELIVERED, a_push_token(1))
    ]


async def test_transient_failures_back_off_exponentially_then_give_up(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await one_push_pending(adapters)
    dispatch = dispatcher(adapters)
    dispatch.push.answers.extend(
        PushResult(outcome=PushOutcome.RETRY, detail="TooManyRequests") for _ in range(MAX_ATTEMPTS)
    )

    waits = []
    for _ in range(MAX_ATTEMPTS):
        assert await dispatch.run() == 1
        [pending] = await outbox(adapters, world.truck.id)
        waits.append(pending.next_attempt_at - clock.now())
        assert await dispatch.run() == 0  # not before its time
        clock.advance(pending.next_attempt_at - clock.now())

    [given_up] = await outbox(adapters, world.truck.id)
    assert given_up.state is NotificationState.FAILED
    assert given_up.attempts == MAX_ATTEMPTS
    assert waits[:4] == [timedelta(seconds=s) for s in (5, 10, 20, 40)]
    async with adapters.uow() as uow:
        attempts = await uow.outbox.attempts(given_up.id)
    assert [a.outcome for a in attempts] == [AttemptOutcome.RETRY] * MAX_ATTEMPTS


async def test_a_claim_whose_dispatcher_died_is_sent_again_after_its_lease(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await one_push_pending(adapters)
    async with adapters.uow() as uow:  # a dispatcher claims, then dies before sending
        assert len(await uow.outbox.claim(clock.now(), LEASE, 10)) == 1
        await uow.commit()
    dispatch = dispatcher(adapters)

    assert await dispatch.run() == 0  # held by the dead one
    clock.advance(LEASE)
    assert await dispatch.run() == 1

    [sent] = await outbox(adapters, world.truck.id)
    assert sent.state is NotificationState.SENT


async def test_a_refused_token_is_disabled_and_the_staff_member_gets_an_sms(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=50)
    crew = await give_phone(
        adapters, await make_staff(adapters, role=Role.CREW, trucks=[world.truck]), "+15005550006"
    )
    await register_token(adapters, as_principal(crew), a_push_token(7))
    await place(adapters, world)
    dispatch = dispatcher(adapters)
    dispatch.push.answers.append(
        PushResult(
            outcome=PushOutcome.TOKEN_INVALID, detail="Unregistered",
            invalid_since=datetime(2026, 1, 5, 11, tzinfo=UTC),
        )
    )  # fmt: skip

    await dispatch.run()  # the push, refused
    await dispatch.run()  # the SMS that replaces it

    push, sms = await outbox(adapters, world.truck.id)
    assert (push.channel, push.state, push.last_error) == (
        Channel.PUSH, NotificationState.FAILED, "Unregistered",
    )  # fmt: skip
    assert (sms.channel, sms.state, sms.address) == (
        Channel.SMS, NotificationState.SENT, "+15005550006",
    )  # fmt: skip
    assert dispatch.sms.sent == [("+15005550006", f"{push.message.title}: {push.message.body}")]
    async with adapters.uow() as uow:
        token = await uow.push_tokens.get(Actor(kind=PrincipalKind.STAFF, id=crew.id))
    assert token is not None
    assert not token.usable
    assert token.invalid_since == datetime(2026, 1, 5, 11, tzinfo=UTC)

    await place(adapters, world)  # the next order goes straight to SMS
    assert (await outbox(adapters, world.truck.id))[-1].channel is Channel.SMS


async def test_a_registration_no_later_than_apples_timestamp_keeps_the_token_off(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters)
    owner = world.principal
    await register_token(adapters, owner, a_push_token(7))
    async with adapters.uow() as uow:
        token = await uow.push_tokens.get(Actor(kind=PrincipalKind.STAFF, id=world.manager.id))
        assert token is not None
        # Apple's 410 said the token is invalid from 30 s from now (clocks differ).
        await uow.push_tokens.put(
            msgspec.structs.replace(
                token, disabled_at=clock.now(), invalid_since=clock.now() + timedelta(seconds=30)
            )
        )
        await uow.commit()

    await register_token(adapters, owner, a_push_token(7))
    assert not (await _token(adapters, world.manager.id)).usable
    clock.advance(timedelta(minutes=1))
    await register_token(adapters, owner, a_push_token(7))
    assert (await _token(adapters, world.manager.id)).usable


async def test_a_number_refused_for_good_is_blocked_and_never_texted_again(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters, stock=50)
    await give_phone(adapters, world.manager, "+15005550009")
    dispatch = dispatcher(adapters)
    dispatch.sms.answers.append(
        SmsResult(outcome=SmsOutcome.NUMBER_REJECTED, detail="21610: opted out (STOP)")
    )

    await place(adapters, world)
    await dispatch.run()
    await place(adapters, world)
    await dispatch.run()

    first, second = await outbox(adapters, world.truck.id)
    assert (first.state, first.last_error) == (NotificationState.FAILED, "21610: opted out (STOP)")
    assert second.state is NotificationState.FAILED
    assert second.last_error == "number blocked: 21610: opted out (STOP)"
    assert len(dispatch.sms.sent) == 1


async def test_one_number_gets_at_most_the_hourly_cap_of_texts(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=99)
    await give_phone(adapters, world.manager, "+15005550010")
    dispatch = dispatcher(adapters)

    for _ in range(SMS_HOURLY_CAP + 2):
        await place(adapters, world)
        await dispatch.run()
    clock.advance(timedelta(hours=1, seconds=1))
    await place(adapters, world)
    await dispatch.run()

    assert len(dispatch.sms.sent) == SMS_HOURLY_CAP + 1
    states = [n.state for n in await outbox(adapters, world.truck.id)]
    assert states.count(NotificationState.FAILED) == 2


async def test_a_phone_number_that_is_not_e164_is_never_texted(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=50)
    await give_phone(adapters, world.manager, "07700 900123")

    await place(adapters, world)
    await dispatcher(adapters).run()

    assert await outbox(adapters, world.truck.id) == []


async def _token(adapters: Adapters, staff_id: UUID) -> PushToken:
    async with adapters.uow() as uow:
        token = await uow.push_tokens.get(Actor(kind=PrincipalKind.STAFF, id=staff_id))
    assert token is not None
    return token
