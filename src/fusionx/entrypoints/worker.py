"""``fusionx worker``: the scheduled work of a PostgreSQL deployment, from the job queue.

Wired by the same composition root as the HTTP workers, whose jobs it runs
(``Adapters.scheduled``); it starts none of their own background work (the event
listener, the notification dispatcher): those stay with the HTTP workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from fusionx.entrypoints.bootstrap import sql_adapters
from fusionx.entrypoints.email_settings import load_email_settings
from fusionx.entrypoints.job_settings import load_job_settings
from fusionx.entrypoints.logging import configure_logging
from fusionx.entrypoints.notification_settings import load_notification_settings
from fusionx.entrypoints.payment_settings import load_payment_settings
from fusionx.entrypoints.rate_limit_settings import load_rate_limit_settings
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.startup_checks import StartupError, ready_database


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
    try:
        await run_worker(job_queue(settings.resolved_database_url, adapters.scheduled))
    finally:
        for hook in adapters.on_shutdown:
            await hook()
