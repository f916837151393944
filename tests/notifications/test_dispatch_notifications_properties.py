"""Property test: whatever the provider answers and however often a dispatcher dies
holding its claims, no notification is lost, each ends sent or failed, and its attempt
log tells exactly what happened."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from fusionx.core.model.notifications import AttemptOutcome, Notification, NotificationState
from fusionx.core.rules.alerts import MAX_ATTEMPTS
from fusionx.core.use_cases.commands.dispatch_notifications import LEASE
from fusionx.entrypoints.bootstrap import in_memory_adapters
from fusionx.ports.push_sender import PushOutcome, PushResult
from tests.factories import ShiftWorld, open_shift_world
from tests.notifications.helpers import (
    Dispatch,
    a_device_with_token,
    a_push_token,
    dispatcher,
    outbox,
    place,
)

ANSWERS = {
    "delivered": PushResult(outcome=PushOutcome.DELIVERED, provider_ref="apns-id"),
    "retry": PushResult(outcome=PushOutcome.RETRY, detail="TooManyRequests"),
    "failed": PushResult(outcome=PushOutcome.FAILED, detail="PayloadTooLarge"),
}


class Outbox(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.adapters = in_memory_adapters()
        self.world: ShiftWorld = self.run(open_shift_world(self.adapters, stock=1000))
        self.run(a_device_with_token(self.adapters, self.world, a_push_token(1)))
        self.dispatch: Dispatch = dispatcher(self.adapters)
        self.orders = 0

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    def teardown(self) -> None:
        self.loop.close()

    def notifications(self) -> list[Notification]:
        found: list[Notification] = self.run(outbox(self.adapters, self.world.truck.id))
        return found

    @initialize()
    def an_order(self) -> None:
        self.place()

    @rule()
    def place(self) -> None:
        self.run(place(self.adapters, self.world))
        self.orders += 1

    @rule(answers=st.lists(st.sampled_from(sorted(ANSWERS)), min_size=1, max_size=4))
    def apple_answers(self, answers: list[str]) -> None:
        self.dispatch.push.answers.extend(ANSWERS[a] for a in answers)

    @rule()
    def dispatch_a_batch(self) -> None:
        self.run(self.dispatch.run())

    @rule()
    def a_dispatcher_dies_holding_its_claims(self) -> None:
        async def claim_and_die() -> None:
            async with self.adapters.uow() as uow:
                await uow.outbox.claim(self.adapters.clock.now(), LEASE, 5)
                await uow.commit()

        self.run(claim_and_die())

    @rule(seconds=st.integers(min_value=1, max_value=3600))
    def time_passes(self, seconds: int) -> None:
        self.adapters.clock.advance(timedelta(seconds=seconds))  # type: ignore[attr-defined]

    @invariant()
    def no_notification_is_lost_and_the_log_tells_what_happened(self) -> None:
        notifications = self.notifications()
        assert len(notifications) == self.orders
        for notification in notifications:
            attempts = self.run(self._attempts(notification))
            assert [a.number for a in attempts] == list(range(1, notification.attempts + 1))
            last = attempts[-1].outcome if attempts else None
            if notification.state is NotificationState.SENT:
                assert last is AttemptOutcome.DELIVERED
            elif notification.state is NotificationState.FAILED:
                assert last is AttemptOutcome.FAILED or notification.attempts == MAX_ATTEMPTS
            else:
                assert last in (None, AttemptOutcome.RETRY)
            delivered = [a for a in attempts if a.outcome is AttemptOutcome.DELIVERED]
            assert len(delivered) <= 1

    def teardown_check(self) -> None:
        """Given time, everything ends sent or failed: nothing stays pending for good."""
        self.dispatch.push.answers.clear()
        for _ in range(MAX_ATTEMPTS * 3):
            self.adapters.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
            self.run(self.dispatch.run())
        states = {n.state for n in self.notifications()}
        assert states <= {NotificationState.SENT, NotificationState.FAILED}

    async def _attempts(self, notification: Notification) -> list[Any]:
        async with self.adapters.uow() as uow:
            return await uow.outbox.attempts(notification.id)


class OutboxThatSettles(Outbox):
    def teardown(self) -> None:
        try:
            self.teardown_check()
        finally:
            super().teardown()


OutboxThatSettles.TestCase.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None
)
TestOutbox = OutboxThatSettles.TestCase
