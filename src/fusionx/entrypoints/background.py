"""Work the service does by itself, beside the requests: a task run every few seconds.

The in-process runner of the scheduled jobs (``scheduled_work``) where there is no job
queue (the embedded database, or ``FUSIONX_JOBS_IN_PROCESS``). Started and stopped by
the app's lifespan hooks (``Adapters.on_startup``/``on_shutdown``).
A failing run is logged and the next one goes ahead: a database blip must not stop
held tickets from firing for the rest of the day.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog

from fusionx.adapters.observability.metrics import metrics
from fusionx.ports.errors import StorageUnavailable

_log = structlog.stdlib.get_logger("fusionx.background")


class PeriodicTask:
    def __init__(self, name: str, run: Callable[[], Awaitable[object]], every: float) -> None:
        self._name = name
        self._run = run
        self._every = every
        self._task: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return self._name

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=self._name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        runs = metrics().background_runs
        while True:
            try:
                await self._run()
            except StorageUnavailable as error:  # expected now and then: no traceback
                runs.labels(self._name, "storage_unavailable").inc()
                _log.warning("background_task_waits_for_storage", task=self._name, error=str(error))
            except Exception:  # noqa: BLE001 - logged; the next run tries again
                runs.labels(self._name, "failed").inc()
                _log.exception("background_task_failed", task=self._name)
            else:
                runs.labels(self._name, "ok").inc()
            await asyncio.sleep(self._every)
