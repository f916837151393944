from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.paging import MAX_PAGE_SIZE, PageRequest
from fusionx.core.model.staff import Role, StaffFilter, StaffMember
from fusionx.core.model.weekly_summary import WeeklyDigest
from fusionx.core.rules.summary_weeks import WEEK, day_starts, due_week, zone_named
from fusionx.core.use_cases.steps.weekly_email import weekly_summary
from fusionx.ports.clock import Clock
from fusionx.ports.email_sender import EmailNotSent, EmailSender
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

RECIPIENT_ROLES = (Role.OWNER, Role.MANAGER)


class WeeklySummaryRun(msgspec.Struct, frozen=True, kw_only=True):
    """What one run did: summaries sent, and recipients whose mail server refused or
    could not be reached (their summary stays due: the next run tries again)."""

    sent: tuple[UUID, ...] = ()
    failed: tuple[UUID, ...] = ()


class SendWeeklySummaries:
    """Email each owner and manager a summary of their trucks' last week against the week
    before, on Monday morning in their time zone and in their language.

    Rules:
    - recipients: active owners (every truck) and managers (their trucks; none: no email);
    - their time zone is that of the location of their trucks' latest shift, else UTC;
      their language their own choice, else English;
    - due from Monday ``SEND_AT`` local time (``summary_weeks``) for the week before,
      until sent: a run that missed Monday morning catches up within the week;
    - exactly once per recipient and week: the sent record (unique on recipient and
      week) is claimed in the unit of work that sends, and kept only once the mail
      server took the email. Two runs racing for one recipient send once; a run that
      dies before its commit leaves the summary due, so it is sent again (the only
      double: a crash between the server's acceptance and the commit);
    - one recipient's failure does not stop the others.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        email: EmailSender,
        translator: Translator,
        *,
        currency: str,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._email = email
        self._translator = translator
        self._currency = currency

    async def execute(self) -> WeeklySummaryRun:
        sent: list[UUID] = []
        failed: list[UUID] = []
        for recipient in await self._recipients():
            try:
                if await self._send(recipient):
                    sent.append(recipient.id)
            except EmailNotSent:
                failed.append(recipient.id)
        return WeeklySummaryRun(sent=tuple(sent), failed=tuple(failed))

    async def _recipients(self) -> list[StaffMember]:
        found: list[StaffMember] = []
        async with self._uow() as uow:
            for role in RECIPIENT_ROLES:
                offset = 0
                while True:
                    page = await uow.staff.search(
                        StaffFilter(role=role, active=True),
                        PageRequest(limit=MAX_PAGE_SIZE, offset=offset),
                    )
                    found.extend(page.items)
                    offset += len(page.items)
                    if not page.items or offset >= page.total:
                        break
        return found

    async def _send(self, recipient: StaffMember) -> bool:
        trucks = None if recipient.role is Role.OWNER else recipient.truck_ids
        if trucks is not None and not trucks:
            return False
        now = self._clock.now()
        async with self._uow() as uow:
            zone_name = await uow.weekly_summaries.usual_zone(trucks)
            zone = zone_named(zone_name)
            week = due_week(now, zone)
            if week is None or not await uow.weekly_summaries.claim(recipient.id, week, now):
                return False
            days = day_starts(week, zone)
            digest = WeeklyDigest(
                week=week,
                zone=str(zone),
                truck_count=await _truck_count(uow, trucks),
                this_week=await uow.weekly_summaries.figures(trucks, days),
                last_week=await uow.weekly_summaries.figures(trucks, day_starts(week - WEEK, zone)),
            )
            locale = self._translator.choose([recipient.locale] if recipient.locale else [])
            await self._email.send(
                weekly_summary(
                    self._translator,
                    locale,
                    recipient.email,
                    name=recipient.name,
                    digest=digest,
                    starts_at=days[0],
                    currency=self._currency,
                    key=f"weekly-summary.{recipient.id}.{week.isoformat()}",
                )
            )
            await uow.commit()
        return True


async def _truck_count(uow: UnitOfWork, trucks: frozenset[UUID] | None) -> int:
    if trucks is not None:
        return len(trucks)
    return sum(1 for truck in await uow.trucks.list_all() if truck.active)
