"""Pool and transaction figures for an engine (``observability.metrics``).

SQLAlchemy's pool and connection events say when a connection is taken and given back
and when a transaction begins and ends; the time to get a connection is measured
around the pool's own ``_do_get``, which is where a request waits when the pool is
exhausted.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry, PoolProxiedConnection

from fusionx.adapters.observability.metrics import metrics

_BEGAN = "fusionx_began"


class MeteredQueuePool(AsyncAdaptedQueuePool):
    """The async engine's default pool, timing how long each checkout waits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set, not added: a disposed engine's pool is made anew, for the same connections.
        metrics().db_pool_capacity.set(self.size() + self._max_overflow)

    def _do_get(self) -> ConnectionPoolEntry:
        started = time.perf_counter()
        try:
            return super()._do_get()
        finally:
            metrics().pool_waited(time.perf_counter() - started)


def meter_engine(engine: AsyncEngine) -> None:
    """Count connections in use and time transactions on ``engine`` (and its copies)."""

    def checked_out(
        _dbapi: Any, _record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        metrics().connection_taken()

    def checked_in(_dbapi: Any, _record: ConnectionPoolEntry) -> None:
        metrics().connection_returned()

    def began(connection: Connection) -> None:
        connection.info[_BEGAN] = time.perf_counter()

    def ended(outcome: str) -> Any:
        def end(connection: Connection) -> None:
            # A connection the database dropped is invalidated: reading its ``info`` would
            # try to reconnect inside the failed transaction and raise instead of the
            # error that says the storage is gone. Its record goes with it, untimed.
            if connection.invalidated:
                return
            started = connection.info.pop(_BEGAN, None)
            if started is not None:
                metrics().transaction_ended(outcome, time.perf_counter() - started)

        return end

    sync = engine.sync_engine
    event.listen(sync, "checkout", checked_out)
    event.listen(sync, "checkin", checked_in)
    event.listen(sync, "begin", began)
    event.listen(sync, "commit", ended("commit"))
    event.listen(sync, "rollback", ended("rollback"))
