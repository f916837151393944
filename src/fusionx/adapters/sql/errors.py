"""Translating driver errors into the ports' errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg  # type: ignore[import-untyped]  # no stubs, no py.typed
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolExhausted
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.ports.errors import StorageBusy, StorageUnavailable, UniqueViolation

# What each driver puts in the message of a unique violation, and the field it guards.
# PostgreSQL names the constraint; SQLite names the index or the table.column.
_UNIQUE_MARKERS = (
    ("uq_staff_email_key", "email"),
    ("staff.email_key", "email"),
    ("uq_access_tokens_token_hash", "token_hash"),
    ("access_tokens.token_hash", "token_hash"),
    ("uq_email_tokens_token_hash", "token_hash"),
    ("email_tokens.token_hash", "token_hash"),
    ("uq_shifts_open_truck_id", "truck_id"),
    ("shifts.truck_id", "truck_id"),
    ("pk_order_cancellations", "order_id"),
    ("order_cancellations.order_id", "order_id"),
    ("uq_received_payments_event_id", "event_id"),
    ("received_payments.event_id", "event_id"),
    ("uq_customers_email", "email"),
    ("customers.email", "email"),
    ("uq_customers_phone", "phone"),
    ("customers.phone", "phone"),
    ("uq_loyalty_entries_key", "key"),
    ("loyalty_entries.key", "key"),
    ("pk_order_tracking", "order_id"),
    ("order_tracking.order_id", "order_id"),
    ("uq_order_tracking_token_hash", "token_hash"),
    ("order_tracking.token_hash", "token_hash"),
    ("uq_reviews_order_id", "order_id"),
    ("reviews.order_id", "order_id"),
)

CONNECTION_ERRORS = (OSError, TimeoutError, DBAPIError, PoolExhausted)
"""What opening a connection raises when the database cannot be reached or entered, or
when every connection of the pool stayed in use for the pool's whole timeout."""

_LOST_CONNECTION_ERRORS = (OSError, TimeoutError, OperationalError, InterfaceError, PoolExhausted)
# The same, raised by asyncpg itself to the reads that run on its connections
# (``driver_pool.py``): a closed connection, a lost one (class 08), a server shutting
# down or starting (57P01-57P03), out of connections (53300).
_LOST_DRIVER_ERRORS = (
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
)


def as_unique_violation(error: IntegrityError) -> UniqueViolation | None:
    """The port error for a unique violation we know, or None for any other integrity error."""
    message = str(error.orig)
    for marker, field in _UNIQUE_MARKERS:
        if marker in message:
            return UniqueViolation(field)
    return None


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database is out of reach rather than the query wrong."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, _LOST_CONNECTION_ERRORS + _LOST_DRIVER_ERRORS)


def unavailable(error: BaseException) -> StorageUnavailable:
    # An exhausted pool is load, not an outage: the request is worth retrying in a moment
    # (503 with a short Retry-After) rather than the 500 SQLAlchemy's own error would give.
    if isinstance(error, PoolExhausted):
        return StorageBusy(f"every database connection is in use: {describe(error)}")
    return StorageUnavailable(f"database unreachable: {describe(error)}")


# PostgreSQL's codes for "this transaction lost to a competing one": a deadlock the
# server broke by aborting us, and a serialization failure. Both leave nothing written.
_CONTENTION_SQLSTATES = frozenset({"40P01", "40001"})


def as_port_error(error: BaseException) -> StorageUnavailable | None:
    """The port error for a driver error a caller can act on, or None to let it through.

    A unit that lost a lock race or the connection mid-way is worth retrying, which the
    clients of a kitchen do anyway; anything else is a bug and stays what it is.
    """
    driver_error = error.orig if isinstance(error, DBAPIError) else error
    if getattr(driver_error, "sqlstate", None) in _CONTENTION_SQLSTATES:
        return StorageBusy(f"gave way to a competing transaction: {describe(error)}")
    if is_unavailable(error):
        return unavailable(error)
    return None


def describe(error: BaseException) -> str:
    """One short line: the driver's own message, without SQLAlchemy's trailer."""
    original = error.orig if isinstance(error, DBAPIError) else error
    text = str(original).strip().splitlines()[0] if str(original).strip() else ""
    return text or type(original).__name__


@asynccontextmanager
async def unique_writes(session: AsyncSession) -> AsyncIterator[None]:
    """Run writes that may break a unique constraint, raising ``UniqueViolation`` if they do.

    On PostgreSQL a failed statement aborts the whole transaction, so the writes run in a
    savepoint: a violation then costs only these writes and the unit of work stays usable,
    as it does in memory. SQLite gets the same savepoint (the engine, not the driver,
    controls its transactions, so savepoints nest properly there too).
    """
    try:
        async with session.begin_nested():
            yield
    except IntegrityError as error:
        violation = as_unique_violation(error)
        if violation is None:
            raise
        raise violation from error
