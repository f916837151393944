"""Graceful shutdown: a stopping instance leaves its clients to the others, and loses nothing.

On SIGTERM, ``fusionx serve``'s supervisor does not stop its workers at once. It first
tells each worker to drain (``DRAIN_SIGNAL``), and each worker:

1. answers ``/health/ready`` with 503, so the load balancer stops sending it work;
2. closes its event streams with 1001 (going away), so TruckKDS reconnects, through the
   balancer, to an instance that stays, and resumes from its ``last_seq``;
3. stops its background work: the dispatcher finishes the notifications it holds (its
   leases end with their attempts recorded) and claims no more; the sweeps stop.

``FUSIONX_SHUTDOWN_DRAIN_SECONDS`` later the workers are stopped as granian does: they take
no new connections and the requests in hand finish, within
``FUSIONX_SHUTDOWN_GRACE_SECONDS``. A second SIGTERM stops at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from fusionx.ports.readiness import ReadinessProbe

_log = structlog.stdlib.get_logger("fusionx.shutdown")

# From the supervisor to its workers: "drain". Ignored until a worker listens for it.
DRAIN_SIGNAL = signal.SIGUSR1
DRAINING = "the service is shutting down"


class Drain:
    """One worker's drain: a flag the readiness probe reads, and what to stop when set."""

    def __init__(self) -> None:
        self._draining = False
        self._hooks: list[Callable[[], Awaitable[None]]] = []
        self._task: asyncio.Task[None] | None = None

    @property
    def draining(self) -> bool:
        return self._draining

    def on_drain(self, hook: Callable[[], Awaitable[None]]) -> None:
        self._hooks.append(hook)

    async def begin(self) -> None:
        """Fail readiness, then run every hook at once (a slow one holds up no other)."""
        if self._draining:
            return
        self._draining = True
        _log.info("draining: readiness fails, event streams close, background work stops")
        await asyncio.gather(*(_logged(hook) for hook in self._hooks))

    def guard(self, probe: ReadinessProbe) -> ReadinessProbe:
        """``probe``, with one more problem while draining."""
        return _DrainingReadiness(self, probe)

    async def listen(self) -> None:
        """Begin draining when this process receives ``DRAIN_SIGNAL`` (a lifespan hook)."""

        def on_signal() -> None:
            self._task = asyncio.create_task(self.begin(), name="drain")

        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            # Not the main thread (a test client's portal): nothing to listen for there.
            asyncio.get_running_loop().add_signal_handler(DRAIN_SIGNAL, on_signal)


async def _logged(hook: Callable[[], Awaitable[None]]) -> None:
    try:
        await hook()
    except Exception:  # noqa: BLE001 - the other hooks must still run
        _log.exception("drain step failed")


class _DrainingReadiness:
    def __init__(self, drain: Drain, probe: ReadinessProbe) -> None:
        self._drain = drain
        self._probe = probe

    async def problems(self) -> list[str]:
        if self._drain.draining:
            return [DRAINING]
        return await self._probe.problems()


def ignore_drain_signal_until_listening() -> None:
    """In a worker before its lifespan starts: a drain signal must not kill it (the
    default action of SIGUSR1). Called where the worker builds its app."""
    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(DRAIN_SIGNAL, signal.SIG_IGN)


def serve_draining(drain_seconds: float, **options: Any) -> None:
    """granian's ``Granian(**options).serve()``, with the drain before the stop."""
    from granian import Granian  # noqa: PLC0415 - only `serve` needs granian

    class _DrainingServer(Granian):  # type: ignore[misc,valid-type]
        _drain_started = False

        def signal_handler_interrupt(self, *args: Any, **kwargs: Any) -> None:
            if self._drain_started or drain_seconds == 0:
                super().signal_handler_interrupt(*args, **kwargs)
                return
            self._drain_started = True
            for worker in list(self.wrks):
                with contextlib.suppress(ProcessLookupError, TypeError):
                    os.kill(worker.inner.pid, DRAIN_SIGNAL)
            stop = threading.Timer(drain_seconds, super().signal_handler_interrupt)
            stop.daemon = True
            stop.start()

    _DrainingServer(**options).serve()
