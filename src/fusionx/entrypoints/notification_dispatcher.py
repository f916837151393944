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
from fusionx.core.use_cases.commands.dispatch_notifications import DispatchNotifications

_log = structlog.stdlib.get_logger("fusionx.notifications")
# Time enough for a batch of slow provider round trips, within the shutdown grace.
DRAIN_SECONDS = 20.0


class BackgroundDispatcher:
    """Runs ``DispatchNotifications`` in a loop: at once again while there is work,
    after ``poll_seconds`` when the outbox had nothing due."""

    def __init__(self, dispatch: DispatchNotifications, poll_seconds: float = 1.0) -> None:
        self._dispatch = dispatch
        self._poll = poll_seconds
        self._task: asyncio.Task[None] | None = None
        self._draining = False
        self._woken = asyncio.Event()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="notification-dispatcher")

    async def drain(self) -> None:
        """Claim no more; let the batch in hand finish (its leases end with its attempts
        recorded), for at most ``DRAIN_SECONDS``, then stop.

        No parameter: Litestar passes the app to a lifespan hook that takes one."""
        self._draining = True
        self._woken.set()
        if self._task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), DRAIN_SECONDS)
        await self.stop()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        runs = metrics().background_runs
        while not self._draining:
            try:
                attempted = await self._dispatch.execute()
            except Exception:  # noqa: BLE001 - a bad batch must not stop the dispatcher
                runs.labels("notification-dispatcher", "failed").inc()
                _log.exception("notification dispatch failed")
                attempted = 0
            else:
                runs.labels("notification-dispatcher", "ok").inc()
            if not attempted and not self._draining:
                await self._idle()

    async def _idle(self) -> None:
        # Woken early by a drain: an idle dispatcher has nothing to finish.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._woken.wait(), self._poll)
