"""The notification dispatcher as a background task of the service.

Every worker of every instance runs one: the outbox's claims give each notification
to one of them at a time, so running several is safe, and any of them picks up what a
dead one had claimed once its lease has run out.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from fusionx.adapters.observability.metrics import metrics
from fusionx.core.use_cases.dispatch_notifications import DispatchNotifications

_log = structlog.stdlib.get_logger("fusionx.notifications")


class BackgroundDispatcher:
    """Runs ``DispatchNotifications`` in a loop: at once again while there is work,
    after ``poll_seconds`` when the outbox had nothing due."""

    def __init__(self, dispatch: DispatchNotifications, poll_seconds: float = 1.0) -> None:
        self._dispatch = dispatch
        self._poll = poll_seconds
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="notification-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        runs = metrics().background_runs
        while True:
            try:
                attempted = await self._dispatch.execute()
            except Exception:  # noqa: BLE001 - a bad batch must not stop the dispatcher
                runs.labels("notification-dispatcher", "failed").inc()
                _log.exception("notification dispatch failed")
                attempted = 0
            else:
                runs.labels("notification-dispatcher", "ok").inc()
            if not attempted:
                await asyncio.sleep(self._poll)
