"""``fusionx worker``: the scheduled work of a PostgreSQL deployment, from the job queue.

Wired by the same composition root as the HTTP workers, whose jobs it runs
(``Adapters.scheduled``); it starts none of their own background work (the event
listener, the notification dispatcher): those stay with the HTTP workers.

A job that runs more often than every ``QUEUED_FROM`` (the one-second fire sweep) is a
loop in each worker process instead: a queue round trip (defer, fetch, finish) costs
several transactions a tick, more than the sweep itself, and the sweep is safe to run
in several processes at once. Its load then grows with the number of ``fusionx worker``
processes (one or two), not with the serving workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from fusionx.entrypoints.background import PeriodicTask
from fusionx.entrypoints.bootstrap import sql_adapters
from fusionx.entrypoints.email_settings import load_email_settings
from fusionx.entrypoints.job_settings import load_job_settings
from fusionx.entrypoints.logging import configure_logging
from fusionx.entrypoints.notification_settings import load_notification_settings
from fusionx.entrypoints.payment_settings import load_payment_settings
from fusionx.entrypoints.rate_limit_settings import load_rate_limit_settings
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.startup_checks import StartupError, ready_database

QUEUED_FROM = timedelta(seconds=10)


def run_worker(settings: Settings, migrate: Callable[[Settings], None]) -> int:
    """Run until SIGTERM or SIGINT; the jobs in hand finish first."""
    # Imported here: a command that never runs the queue never loads psycopg.
    from fusionx.adapters.jobs.schema import queue_schema_present  # noqa: PLC0415

    if settings.is_embedded:
        raise StartupError(
            "the embedded database has no job queue: `fusionx serve` runs the scheduled "
            "work itself (FUSIONX_DATABASE_URL names no PostgreSQL database)"
        )
    ready_database(settings, migrate)
    if not asyncio.run(queue_schema_present(settings.resolved_database_url)):
        raise StartupError("the job queue's schema is missing: run `fusionx db upgrade`")
    configure_logging(settings)
    asyncio.run(_work(settings))
    return 0


async def _work(settings: Settings) -> None:
    from fusionx.adapters.jobs.procrastinate_queue import job_queue, run_worker  # noqa: PLC0415

    adapters = sql_adapters(
        settings,
        load_notification_settings(),
        load_email_settings(),
        load_payment_settings(),
        load_rate_limit_settings(),
        jobs=load_job_settings(),
    )
    queued = [job for job in adapters.scheduled if job.every >= QUEUED_FROM]
    loops = [
        PeriodicTask(job.name, job.run, job.every.total_seconds())
        for job in adapters.scheduled
        if job.every < QUEUED_FROM
    ]
    try:
        for loop in loops:
            await loop.start()
        await run_worker(job_queue(settings.resolved_database_url, queued))
    finally:
        for loop in loops:
            await loop.stop()
        for hook in adapters.on_shutdown:
            await hook()
