from __future__ import annotations

import html
from datetime import datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.core.errors import NotConfigured
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.emails import EmailMessage
from fusionx.core.model.notifications import (
    Attempt,
    AttemptOutcome,
    Channel,
    Claim,
    Notification,
    NotificationState,
)
from fusionx.core.rules.alert_channels import may_text_instead
from fusionx.core.rules.phone_numbers import e164
from fusionx.core.use_cases.steps.delivery_outcomes import (
    Verdict,
    after_attempt,
    push_verdict,
    sms_verdict,
)
from fusionx.ports.clock import Clock
from fusionx.ports.email_sender import EmailNotSent, EmailSender
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.push_sender import PushOutcome, PushResult, PushSender
from fusionx.ports.sms_sender import SmsOutcome, SmsSender
from fusionx.ports.tracking_links import TrackingLinks
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

# Long enough for one slow provider round trip with its retries, short enough that a
# dead dispatcher's notifications go out again soon.
LEASE = timedelta(seconds=60)
BATCH = 20
# Texts to one number per rolling hour: a loop or abuse cannot run up a bill.
SMS_HOURLY_CAP = 10


class DispatchNotifications:
    """Send the due notifications of the outbox, each at least once.

    Rules:
    - a batch is claimed in its own transaction, for a lease; each notification is sent
      outside any transaction and its attempt recorded after, so a process dying
      mid-send loses nothing: the lease runs out and another dispatcher sends it again;
    - every attempt is recorded with its outcome; transient failures are retried with
      exponential backoff, at most 8 attempts;
    - a push token Apple refuses is disabled; a staff member whose push failed for good
      gets an SMS instead, if their choices allow it;
    - a number the SMS provider refuses for good is blocked; numbers that are not E.164
      are never sent to; one number gets at most 10 texts an hour;
    - an order's customer is texted or emailed at the address their order gave, with the
      order's tracking link, made at sending time (the token is stored nowhere); a mail
      server's permanent refusal is final, a transient one retried like any other.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        push: PushSender,
        sms: SmsSender,
        *,
        lease: timedelta = LEASE,
        email: EmailSender | None = None,
        tracking: TrackingLinks | None = None,
    ) -> None:
        self._lease = lease
        self._email = email
        self._tracking = tracking
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._push = push
        self._sms = sms

    async def execute(self) -> int:
        """Claim and send one batch; the number of notifications attempted."""
        async with self._uow() as uow:
            claims = await uow.outbox.claim(self._clock.now(), self._lease, BATCH)
            await uow.commit()
        for claim in claims:
            await self._deliver(claim)
        return len(claims)

    async def _deliver(self, claim: Claim) -> None:
        notification = claim.notification
        if notification.recipient.kind is PrincipalKind.GUEST:
            verdict = await self._send_to_customer(notification)
        elif notification.channel is Channel.PUSH:
            verdict = await self._send_push(notification)
        else:
            verdict = await self._send_sms(notification)
        now = self._clock.now()
        attempts = notification.attempts + 1
        updated = after_attempt(notification, verdict, attempts, now)
        attempt = Attempt(
            notification_id=notification.id, number=attempts, at=now, outcome=verdict.outcome,
            detail=verdict.detail, address=verdict.address,
        )  # fmt: skip
        async with self._uow() as uow:
            held = await uow.outbox.finish(claim, updated, attempt)
            if held and verdict.fall_back:
                await self._fall_back_to_sms(uow, notification, now)
            await uow.commit()

    async def _send_push(self, notification: Notification) -> Verdict:
        async with self._uow() as uow:
            token = await uow.push_tokens.get(notification.recipient)
        staff = notification.recipient.kind is PrincipalKind.STAFF
        if token is None or not token.usable:
            return Verdict(
                outcome=AttemptOutcome.SKIPPED, detail="no working push token", fall_back=staff
            )
        result = await self._push.send(token.token, notification.message)
        if result.outcome is PushOutcome.TOKEN_INVALID:
            await self._disable(notification.recipient, token.token, result)
        return push_verdict(result, token.token, staff=staff)

    async def _disable(self, owner: Actor, token: str, result: PushResult) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            current = await uow.push_tokens.get(owner)
            # Only the token that was refused: the owner may have registered a new one.
            if current is not None and current.token == token and current.usable:
                await uow.push_tokens.put(
                    msgspec.structs.replace(
                        current,
                        disabled_at=now,
                        disabled_reason=result.detail,
                        invalid_since=result.invalid_since,
                    )
                )
                await uow.commit()

    async def _send_to_customer(self, notification: Notification) -> Verdict:
        """An order's customer, at the address their order gave, with its tracking link
        (made now from the order's id: the token is stored nowhere)."""
        message = notification.message
        link = ""
        if self._tracking is not None and "order_id" in message.data:
            link = self._tracking.link(self._tracking.token_for(UUID(message.data["order_id"])))
        if notification.channel is Channel.EMAIL:
            return await self._send_email(notification, link)
        text = f"{message.title}: {message.body} {link}".strip()
        return await self._send_sms(notification, e164(notification.address), text)

    async def _send_email(self, notification: Notification, link: str) -> Verdict:
        address = notification.address
        if self._email is None or not address:
            return Verdict(outcome=AttemptOutcome.SKIPPED, detail="no email sender or address")
        message = notification.message
        text = f"{message.body}\n\n{link}\n" if link else f"{message.body}\n"
        body = html.escape(message.body)
        anchor = f'<p><a href="{html.escape(link)}">{html.escape(link)}</a></p>' if link else ""
        email = EmailMessage(
            to=address, subject=message.title, text=text, html=f"<p>{body}</p>{anchor}"
        )
        try:
            await self._email.send(email)
        except EmailNotSent as refused:
            outcome = AttemptOutcome.REJECTED if refused.permanent else AttemptOutcome.RETRY
            return Verdict(outcome=outcome, detail=str(refused), address=address)
        except NotConfigured:
            return Verdict(outcome=AttemptOutcome.SKIPPED, detail="email is off", address=address)
        return Verdict(outcome=AttemptOutcome.DELIVERED, address=address)

    async def _send_sms(
        self, notification: Notification, to: str | None = None, text: str | None = None
    ) -> Verdict:
        """A staff member's text (``to`` None: their number now), or a customer's."""
        now = self._clock.now()
        async with self._uow() as uow:
            phone = to
            if text is None:
                member = await uow.staff.get(notification.recipient.id)
                phone = e164(member.phone) if member is not None else None
            if phone is None:
                return Verdict(outcome=AttemptOutcome.SKIPPED, detail="no valid phone number")
            blocked = await uow.sms_numbers.reason(phone)
            sent = await uow.outbox.sms_sent_since(phone, now - timedelta(hours=1))
        if blocked is not None:
            return Verdict(
                outcome=AttemptOutcome.REJECTED, detail=f"number blocked: {blocked}", address=phone
            )
        if sent >= SMS_HOURLY_CAP:
            return Verdict(
                outcome=AttemptOutcome.SKIPPED,
                address=phone,
                detail=f"hourly cap of {SMS_HOURLY_CAP} texts to this number",
            )
        message = notification.message
        result = await self._sms.send(phone, text or f"{message.title}: {message.body}")
        if result.outcome is SmsOutcome.NUMBER_REJECTED:
            async with self._uow() as uow:
                await uow.sms_numbers.block(phone, result.detail, self._clock.now())
                await uow.commit()
        return sms_verdict(result, phone)

    async def _fall_back_to_sms(
        self, unit: UnitOfWork, notification: Notification, now: datetime
    ) -> None:
        contact = await unit.audience.contact(notification.recipient.id)
        if contact is None or not may_text_instead(contact, notification.kind, now):
            return
        await unit.outbox.add(
            msgspec.structs.replace(
                notification,
                id=self._ids.new_id(),
                channel=Channel.SMS,
                state=NotificationState.PENDING,
                created_at=now,
                next_attempt_at=now,
                attempts=0,
                address=None,
                sent_at=None,
                last_error=None,
                provider_ref=None,
                delivery_status=None,
            )
        )
