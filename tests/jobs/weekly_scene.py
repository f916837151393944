"""A fleet whose owner and managers have a weekly summary due now, on the real clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from aiosmtpd.smtp import SMTP, Envelope, Session

from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.summary_weeks import day_starts, due_week, zone_named
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_staff_member, an_order
from tests.support.scenes import a_shift_scene, with_tickets
from tests.support.smtp_server import KeepingHandler

# Monday 00:00 to 07:00 in UTC is already Monday afternoon at UTC+14: one of the two
# has a summary due whenever the test runs.
_ZONES = ("UTC", "Pacific/Kiritimati")


def a_zone_with_a_summary_due() -> str:
    now = datetime.now(UTC)
    return next(zone for zone in _ZONES if due_week(now, zone_named(zone)) is not None)


async def a_fleet_due_its_summaries(
    units: UnitOfWorkFactory, managers: int = 4
) -> tuple[list[StaffMember], date]:
    """An owner and ``managers`` managers of one truck that sold last week, in a zone
    where the summary of last week is due; the recipients, owner first, and the week."""
    zone = a_zone_with_a_summary_due()
    week = due_week(datetime.now(UTC), zone_named(zone))
    assert week is not None
    scene = await a_shift_scene(units, items=2, location={"timezone": zone})
    trucks = frozenset({scene.truck.id})
    recipients = [
        a_staff_member(role=Role.OWNER, active=True),
        *(
            a_staff_member(role=Role.MANAGER, active=True, truck_ids=trucks)
            for _ in range(managers)
        ),
    ]
    async with units() as uow:
        for member in recipients:
            await uow.staff.add(member)
        await uow.commit()
    days = day_starts(week, zone_named(zone))
    await with_tickets(
        units,
        [
            an_order(
                scene.shift.id, list(scene.items), number=n, created_at=days[n] + timedelta(hours=9)
            )
            for n in range(1, 5)
        ],
    )
    return recipients, week


@dataclass
class SlowHandler(KeepingHandler):
    """A mail server that takes ``delay`` to accept each recipient: a run of summaries
    lasts long enough to be killed in the middle. The delay comes before the message is
    sent, so a sender killed meanwhile has handed nothing over."""

    delay: float = 0.4

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: object
    ) -> str:
        await asyncio.sleep(self.delay)
        return await super().handle_RCPT(server, session, envelope, address, options)
