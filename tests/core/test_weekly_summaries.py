"""The weekly summary email: due Monday 07:00 in the recipient's zone, for the week
before, once per recipient and week, in their language, to owners and managers only."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.memory.email import RecordingEmailSender
from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.core.model.staff import Role
from fusionx.core.rules.summary_weeks import day_starts, due_week, zone_named
from fusionx.core.use_cases.commands.send_weekly_summaries import SendWeeklySummaries
from fusionx.ports.email_sender import EmailNotSent
from tests.support.entities import a_staff_member, an_order
from tests.support.scenes import a_shift_scene, with_tickets

PARIS = zone_named("Europe/Paris")
# Monday 2026-03-30, 07:00 in Paris (summer time: 05:00 UTC); the week summarized
# starts on Monday 2026-03-23.
SEND_TIME = datetime(2026, 3, 30, 5, 0, tzinfo=UTC)
WEEK = date(2026, 3, 23)


@pytest.mark.parametrize(
    ("now", "zone", "week"),
    [
        (SEND_TIME - timedelta(seconds=1), "Europe/Paris", None),
        (SEND_TIME, "Europe/Paris", WEEK),
        # Sunday evening: last week's summary was sent a week ago; this one is not due.
        (datetime(2026, 3, 29, 20, tzinfo=UTC), "Europe/Paris", WEEK - timedelta(days=7)),
        # Already Monday 07:00 in Auckland while it is Sunday in UTC.
        (datetime(2026, 3, 29, 18, 0, tzinfo=UTC), "Pacific/Auckland", WEEK),
        (datetime(2026, 3, 30, 6, 59, tzinfo=UTC), "UTC", None),
        (datetime(2026, 3, 30, 7, 0, tzinfo=UTC), "UTC", WEEK),
        (datetime(2026, 3, 30, 7, 0, tzinfo=UTC), "no/such/zone", WEEK),
    ],
)
def test_a_summary_is_due_from_monday_seven_in_the_recipients_zone(
    now: datetime, zone: str, week: date | None
) -> None:
    assert due_week(now, zone_named(zone)) == week


def test_a_week_is_seven_local_days_even_across_a_clock_change() -> None:
    days = day_starts(WEEK, PARIS)

    lengths = [later - earlier for earlier, later in itertools.pairwise(days)]
    assert days[0] == datetime(2026, 3, 22, 23, tzinfo=UTC)
    assert lengths == [timedelta(hours=24)] * 6 + [timedelta(hours=23)]


async def _fleet(units: InMemoryUnitOfWorkFactory):  # type: ignore[no-untyped-def]
    scene = await a_shift_scene(units, items=2, location={"timezone": "Europe/Paris"})
    owner = a_staff_member(role=Role.OWNER, locale="fr", active=True)
    manager = a_staff_member(
        role=Role.MANAGER, truck_ids=frozenset({scene.truck.id}), active=True, locale=None
    )
    lonely = a_staff_member(role=Role.MANAGER, truck_ids=frozenset(), active=True)
    crew = a_staff_member(role=Role.CREW, truck_ids=frozenset({scene.truck.id}), active=True)
    gone = a_staff_member(role=Role.OWNER, active=False)
    async with units() as uow:
        for member in (owner, manager, lonely, crew, gone):
            await uow.staff.add(member)
        await uow.commit()
    days = day_starts(WEEK, PARIS)
    orders = [
        an_order(
            scene.shift.id, list(scene.items), number=n, created_at=days[n] + timedelta(hours=12)
        )
        for n in range(1, 4)
    ]
    await with_tickets(units, orders)
    return owner, manager


def _summaries(units: InMemoryUnitOfWorkFactory, clock: ManualClock, email: RecordingEmailSender):  # type: ignore[no-untyped-def]
    return SendWeeklySummaries(units, clock, email, packaged_translator(), currency="EUR")


async def test_owners_and_managers_get_one_summary_a_week_in_their_language() -> None:
    units, clock, email = (
        InMemoryUnitOfWorkFactory(),
        ManualClock(SEND_TIME),
        RecordingEmailSender(),
    )
    owner, manager = await _fleet(units)
    summaries = _summaries(units, clock, email)

    clock.set(SEND_TIME - timedelta(minutes=1))
    assert (await summaries.execute()).sent == ()
    clock.set(SEND_TIME)
    first = await summaries.execute()
    clock.advance(timedelta(hours=5))
    again = await summaries.execute()

    assert sorted(first.sent) == sorted([owner.id, manager.id])
    assert again.sent == ()
    assert sorted(message.to for message in email.sent) == sorted([owner.email, manager.email])
    [french] = email.to(owner.email)
    assert "Commandes" in french.text
    assert "semaine" in french.subject
    [english] = email.to(manager.email)
    assert "Orders: 3 (week before: 0)" in english.text
    assert "<svg" in english.html
    assert "http://" not in english.html.replace('xmlns="http://www.w3.org/2000/svg"', "")


async def test_a_refused_email_stays_due_and_goes_out_on_the_next_run() -> None:
    units, clock, email = (
        InMemoryUnitOfWorkFactory(),
        ManualClock(SEND_TIME),
        RecordingEmailSender(),
    )
    owner, manager = await _fleet(units)
    email.refusals.append(EmailNotSent("the mail server answered 451", permanent=False))
    summaries = _summaries(units, clock, email)

    first = await summaries.execute()
    second = await summaries.execute()

    assert len(first.failed) == 1
    assert len(first.sent) == 1
    assert second.sent == first.failed
    assert sorted(message.to for message in email.sent) == sorted([owner.email, manager.email])


async def test_names_typed_by_people_cannot_become_markup() -> None:
    # No shift yet: the owner's zone is UTC, where 07:00 comes two hours after Paris's.
    units, email = InMemoryUnitOfWorkFactory(), RecordingEmailSender()
    clock = ManualClock(SEND_TIME + timedelta(hours=2))
    owner = a_staff_member(role=Role.OWNER, name="<b>Zoé</b>", active=True, locale=None)
    async with units() as uow:
        await uow.staff.add(owner)
        await uow.commit()

    await _summaries(units, clock, email).execute()

    [message] = email.sent
    assert "<b>Zoé" not in message.html
    assert "&lt;b&gt;Zoé" in message.html
    assert "<b>Zoé</b>" in message.text
