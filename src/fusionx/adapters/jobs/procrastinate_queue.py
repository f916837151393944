"""The scheduled jobs on procrastinate's queue in PostgreSQL: each job a periodic task.

However many workers run (``fusionx worker``, on as many instances), procrastinate
defers each tick of a periodic task once (its ``procrastinate_periodic_defers`` table),
and a job's queueing lock keeps at most one of its runs waiting: a slow worker gets
one late run, not a pile of them. Two runs of one job may overlap (a slow one, and the
next tick on another worker): every job is safe so (each claims what it does, row by
row), and no lock is held by a run whose worker was killed. Finished jobs are deleted:
the one-second jobs would otherwise leave 86,400 rows a day behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import structlog
from procrastinate import App, PsycopgConnector

from fusionx.adapters.jobs.connection import conninfo
from fusionx.adapters.jobs.schedule import ScheduledJob
from fusionx.adapters.observability.metrics import metrics
from fusionx.ports.errors import StorageUnavailable

_log = structlog.stdlib.get_logger("fusionx.jobs")

QUEUE = "scheduled"
# How many jobs a worker runs at once: the one-second fire sweep must not wait behind
# a weekly summary run talking to the mail server.
CONCURRENCY = 4


def job_queue(url: str, jobs: Sequence[ScheduledJob]) -> App:
    """A procrastinate app on the PostgreSQL database at ``url`` (SQLAlchemy's URL)
    with ``jobs`` registered as periodic tasks."""
    app = App(connector=PsycopgConnector(conninfo=conninfo(url), min_size=1, max_size=4))
    for job in jobs:
        task = app.task(name=job.name, queue=QUEUE, queueing_lock=job.name)(
            _body(job.name, job.run)
        )
        app.periodic(cron=job.cron)(task)
    return app


def _body(name: str, run: Callable[[], Awaitable[object]]) -> Callable[..., Awaitable[None]]:
    """A run that fails is logged and counted as the in-process loops do, and ends the
    job as done: the next tick is its retry, and no failed job piles up in the table."""

    async def body(timestamp: int) -> None:  # noqa: ARG001 - the tick, given by procrastinate
        runs = metrics().background_runs
        try:
            await run()
        except StorageUnavailable as error:
            runs.labels(name, "storage_unavailable").inc()
            _log.warning("background_task_waits_for_storage", task=name, error=str(error))
        except Exception:  # noqa: BLE001 - logged; the next tick tries again
            runs.labels(name, "failed").inc()
            _log.exception("background_task_failed", task=name)
        else:
            runs.labels(name, "ok").inc()

    return body


async def run_worker(app: App, *, name: str = "fusionx") -> None:
    """Run ``app``'s worker until cancelled (or SIGTERM/SIGINT in the main thread): it
    defers the periodic ticks and runs the jobs, finishing those in hand on the way out."""
    async with app.open_async():
        await app.run_worker_async(
            queues=[QUEUE],
            name=name,
            concurrency=CONCURRENCY,
            delete_jobs="successful",
            listen_notify=True,
        )
