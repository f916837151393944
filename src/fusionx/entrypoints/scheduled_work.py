"""The work the service does by itself, as one list of jobs for both runners: the
procrastinate queue on PostgreSQL (``fusionx worker``) and the in-process loops on the
embedded database (docs/operations.md, "Scheduled work").

The notification outbox's dispatcher is not among them: it must send within a second
of the commit that wrote a notification, and its claims already share the work between
workers (``notification_dispatcher``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from fusionx.adapters.jobs.schedule import ScheduledJob
from fusionx.core.use_cases.commands.fire_due_tickets import FireDueTickets
from fusionx.core.use_cases.commands.release_lapsed_holds import ReleaseLapsedHolds
from fusionx.core.use_cases.commands.roll_up_analytics import RollUpAnalytics
from fusionx.core.use_cases.commands.send_weekly_summaries import SendWeeklySummaries
from fusionx.core.use_cases.commands.sweep_stale_devices import SweepStaleDevices
from fusionx.core.use_cases.commands.tell_late_orders import TellLateOrders

if TYPE_CHECKING:
    from fusionx.ports.clock import Clock
    from fusionx.ports.email_sender import EmailSender
    from fusionx.ports.id_generator import IdGenerator
    from fusionx.ports.translator import Translator
    from fusionx.ports.unit_of_work import UnitOfWorkFactory

# Held tickets fire within a second of their time; expired idempotency keys and rate
# windows go every ten minutes; weekly summaries are looked for every five minutes
# by default (a recipient's is due from 07:00 on their Monday, in any time zone).
FIRE_EVERY = timedelta(seconds=1)
PURGE_EVERY = timedelta(minutes=10)
SUMMARIES_EVERY = timedelta(minutes=5)
# Stock held by online orders left unpaid past the hold goes back within half a minute.
HOLDS_EVERY = timedelta(seconds=30)
# Customers whose order slipped past the time they were told: once a minute is close
# enough for a margin of minutes.
LATE_ORDERS_EVERY = timedelta(minutes=1)
# Closed shifts join the analytics rollup within five minutes; until then (and always for
# open shifts) queries read their rows, so this only bounds how much they read.
ANALYTICS_EVERY = timedelta(minutes=5)
# The periods a cron line can say, in seconds: the stale sweep takes the largest that
# fits six times in the stale window.
_SECOND_PERIODS = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)


class Purges(Protocol):
    async def purge(self, now: datetime) -> object: ...


def scheduled_jobs(
    *,
    uow: UnitOfWorkFactory,
    clock: Clock,
    ids: IdGenerator,
    hold: timedelta,
    late_margin: timedelta,
    stale_after: timedelta,
    purges: dict[str, Purges],
    email: EmailSender | None,
    translator: Translator,
    currency: str,
    summaries_every: timedelta = SUMMARIES_EVERY,
) -> tuple[ScheduledJob, ...]:
    """Every job, named as its metrics and logs name it. ``purges``: by job name, the
    stores whose expired rows go every ten minutes. ``hold``: how long an unpaid online
    order keeps its stock; ``late_margin``: how far past the time they were told an
    order slips before its customer is told again. Without a mail server (``email``
    None) there are no weekly summaries to send."""
    sweep = SweepStaleDevices(uow, clock, stale_after)
    jobs = (
        ScheduledJob("fire-due-tickets", FireDueTickets(uow, clock).execute, FIRE_EVERY),
        ScheduledJob("sweep-stale-devices", sweep.execute, stale_sweep_period(stale_after)),
        # Each lapsed hold is given back once, whichever runner or worker gets there first.
        ScheduledJob(
            "release-lapsed-holds", ReleaseLapsedHolds(uow, clock, ids, hold).execute, HOLDS_EVERY
        ),
        # Each slip is told once, whichever runner claims it.
        ScheduledJob(
            "tell-late-orders",
            TellLateOrders(uow, clock, ids, translator, margin=late_margin).execute,
            LATE_ORDERS_EVERY,
        ),
        ScheduledJob("roll-up-analytics", RollUpAnalytics(uow, clock).execute, ANALYTICS_EVERY),
        *(
            ScheduledJob(name, _purging(store, clock), PURGE_EVERY)
            for name, store in purges.items()
        ),
    )
    if email is None:
        return jobs
    summaries = SendWeeklySummaries(uow, clock, email, translator, currency=currency)
    return (*jobs, ScheduledJob("send-weekly-summaries", summaries.execute, summaries_every))


def stale_sweep_period(stale_after: timedelta) -> timedelta:
    """About a sixth of the stale window, so a device is stale at most a sixth late."""
    wanted = stale_after.total_seconds() / 6
    return timedelta(seconds=max(p for p in _SECOND_PERIODS if p <= max(wanted, 1)))


def _purging(store: Purges, clock: Clock) -> Callable[[], Awaitable[object]]:
    async def purge() -> object:
        return await store.purge(clock.now())

    return purge
