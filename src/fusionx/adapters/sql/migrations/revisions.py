"""Which revision the database is at and which this code expects, without alembic.

Every worker's readiness probe asks this; importing alembic for it would cost each
worker about 8 MB for the life of the process. The revisions are therefore listed
here by hand: ``tests/sql/test_revisions.py`` fails until a new migration is added.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

KNOWN_REVISIONS = (
    "0001_foundation",
    "0002_shifts_orders_tickets",
    "0003_menu_payments",
    "0004_order_lifecycle",
    "0005_notifications",
    "0006_operations",
    "0007_menu_catalogue",
    "0008_ticket_prep_times",
    "0009_truck_opening_stock",
    "0010_wide_payment_amounts",
    "0011_fleet_event_streams",
    "0012_operating_hours",
    "0013_audit_trail",
    "0014_session_details",
    "0015_email_tokens",
    "0016_staff_locale",
    "0017_refund_outcomes",
    "0018_rate_limit_windows",
    "0019_order_customers",
    "0020_history_indexes",
    "0021_weekly_summaries",
    "0022_webhooks",
    "0023_checkout",
    "0024_customer_accounts",
    "0025_tracking_reviews",
    "0026_analytics_rollup",
    "0027_pairing_codes",
    "0028_analytics_days",
    "0029_analytics_fleet_days",
)
"""Every revision in ``versions/``, oldest first."""

HEAD_REVISION = KNOWN_REVISIONS[-1]
"""The revision this code expects the database to be at."""

# Alembic's default table, which ``env.py`` keeps.
_VERSION_TABLE = "alembic_version"
_READ_VERSIONS = text("SELECT version_num FROM alembic_version")


def is_known(revision: str) -> bool:
    """Whether ``revision`` is one of this code's migrations."""
    return revision in KNOWN_REVISIONS


async def current_revision(engine: AsyncEngine) -> str | None:
    """The database's revision, None when it has never been migrated (or is back at base)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_read_revision)


def _read_revision(connection: Connection) -> str | None:
    if not connection.dialect.has_table(connection, _VERSION_TABLE):
        return None
    found = list(connection.execute(_READ_VERSIONS).scalars())
    if len(found) > 1:
        # Our history is linear; several rows mean someone merged branches by hand.
        raise RuntimeError(f"{_VERSION_TABLE} holds several revisions: {', '.join(found)}")
    return found[0] if found else None
