"""Events and credential revocations committed by other processes, heard through
PostgreSQL LISTEN/NOTIFY.

One dedicated connection per process listens on ``fusionx_events`` and feeds this
process's ``InProcessEventHub``. The connection is watched (asyncpg's termination
callback, plus a cheap ``SELECT 1`` every few seconds for links that die silently) and
reopened with capped, jittered exponential backoff. NOTIFY is not queued for a listener
that is away, so after every (re)connect the hub is invalidated: subscribers then
catch up from the event log, which is the truth, and streams check their credentials
again, so they miss nothing said meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs, no py.typed
import msgspec
import structlog
from sqlalchemy.engine import make_url

from fusionx.adapters.events import pg_payload
from fusionx.adapters.events.in_process_hub import InProcessEventHub

_log = structlog.stdlib.get_logger("fusionx.events")

# What a broken or unreachable connection raises, from DNS to a killed backend.
_CONNECTION_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


def asyncpg_connect_arguments(url: str) -> dict[str, Any]:
    """``asyncpg.connect`` keywords for a SQLAlchemy URL (``postgresql+asyncpg://…``)."""
    parsed = make_url(url)
    arguments: dict[str, Any] = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "database": parsed.database,
    }
    ssl = parsed.query.get("ssl") or parsed.query.get("sslmode")
    if isinstance(ssl, str):
        arguments["ssl"] = ssl
    return {name: value for name, value in arguments.items() if value is not None}


class PgEventListener:
    """Keeps one LISTEN connection open for the life of the process.

    ``start`` returns at once: if the database is down, the listener keeps trying in
    the background and the app still starts. ``stop`` closes it for good.
    """

    def __init__(
        self,
        url: str,
        hub: InProcessEventHub,
        *,
        health_interval: float = 5.0,
        health_timeout: float = 3.0,
        connect_timeout: float = 5.0,
        backoff_initial: float = 0.2,
        backoff_max: float = 15.0,
    ) -> None:
        self._connect_arguments = asyncpg_connect_arguments(url)
        self._hub = hub
        self._health_interval = health_interval
        self._health_timeout = health_timeout
        self._connect_timeout = connect_timeout
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._inbox: asyncio.Queue[str] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._connection: asyncpg.Connection | None = None
        # Set while LISTEN is in place and the hub has been told to catch up.
        self.listening = asyncio.Event()

    @property
    def backend_pid(self) -> int | None:
        """The PostgreSQL backend of the LISTEN connection, while there is one."""
        return self._connection.get_server_pid() if self._connection is not None else None

    async def start(self) -> None:
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._stay_connected(), name="fusionx-pg-listener"),
                asyncio.create_task(self._deliver(), name="fusionx-pg-deliver"),
            ]

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _stay_connected(self) -> None:
        delay, recovered = self._backoff_initial, False
        while True:
            try:
                connection = await asyncpg.connect(
                    **self._connect_arguments, timeout=self._connect_timeout
                )
            except _CONNECTION_ERRORS as error:
                pause = random.uniform(delay / 2, delay)  # noqa: S311 - jitter, not secrets
                _log.warning("event listener cannot connect", error=repr(error), retry_in=pause)
                await asyncio.sleep(pause)
                delay = min(delay * 2, self._backoff_max)
                continue
            try:
                await self._listen(connection, recovered=recovered)
                reason = "connection closed"
            except _CONNECTION_ERRORS as error:
                reason = repr(error)
            except Exception:  # noqa: BLE001 - a bug here must not end live events for good
                _log.exception("event listener failed")
                reason = "listener error"
            finally:
                self.listening.clear()
                self._connection = None
                await _close(connection)
            recovered, delay = True, self._backoff_initial
            pause = random.uniform(delay / 2, delay)  # noqa: S311 - spreads the workers out
            _log.warning("event listener lost its connection", reason=reason, retry_in=pause)
            await asyncio.sleep(pause)

    async def _listen(self, connection: asyncpg.Connection, *, recovered: bool) -> None:
        """LISTEN, then watch the connection: returns or raises once it is lost."""
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _connection: lost.set())
        await connection.add_listener(pg_payload.CHANNEL, self._on_notification)
        self._connection = connection
        # LISTEN is in place: whatever was committed before it is in the log, so one
        # catch-up now covers everything notified while nobody listened.
        self._hub.invalidate()
        self.listening.set()
        _log.info(
            "event listener connected",
            recovered=recovered,
            backend_pid=connection.get_server_pid(),
        )
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), self._health_interval)
                return
            await connection.fetchval("SELECT 1", timeout=self._health_timeout)

    def _on_notification(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        # asyncpg calls this in arrival order; the queue keeps that order for `_deliver`.
        self._inbox.put_nowait(payload)

    async def _deliver(self) -> None:
        while True:
            raw = await self._inbox.get()
            try:
                payload = pg_payload.decode(raw)
            except (msgspec.DecodeError, msgspec.ValidationError) as error:
                _log.warning("event notification ignored", error=str(error))
                continue
            if isinstance(payload, pg_payload.WholeEvent):
                await self._hub.publish([payload.event])
            elif isinstance(payload, pg_payload.RevokedCredentials):
                await self._hub.revoked(payload.token_ids)
            else:
                self._hub.invalidate(payload.shift_id)


async def _close(connection: asyncpg.Connection) -> None:
    """Close politely if the server still answers, else drop the socket."""
    if connection.is_closed():
        return
    try:
        await connection.close(timeout=2)
    except _CONNECTION_ERRORS:
        connection.terminate()
    except asyncio.CancelledError:
        connection.terminate()
        raise
