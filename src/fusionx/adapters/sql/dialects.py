"""The repositories each SQL dialect spells its own way, chosen once, when a unit of work
is built: no repository method asks which database it runs on."""

from __future__ import annotations

from dataclasses import dataclass

from fusionx.adapters.sql.repositories.access_tokens import (
    PgAccessTokenRepository,
    SqlAccessTokenRepository,
)
from fusionx.adapters.sql.repositories.analytics import PgFleetAnalytics, SqlFleetAnalytics
from fusionx.adapters.sql.repositories.capacity import (
    PgCapacityRepository,
    SqlCapacityRepository,
    SqliteCapacityRepository,
)
from fusionx.adapters.sql.repositories.events import PgEventLog, SqlEventLog, SqliteEventLog
from fusionx.adapters.sql.repositories.fleet_live import (
    PgFleetActivity,
    SqlFleetActivity,
    SqliteFleetActivity,
)
from fusionx.adapters.sql.repositories.login_failures import PgLoginFailureLog, SqlLoginFailureLog
from fusionx.adapters.sql.repositories.menu import PgMenuRepository, SqlMenuRepository
from fusionx.adapters.sql.repositories.orders import PgOrderRepository, SqlOrderRepository
from fusionx.adapters.sql.repositories.shifts import PgShiftRepository, SqlShiftRepository
from fusionx.adapters.sql.repositories.stock import (
    PgStockLedger,
    SqliteStockLedger,
    SqlStockLedger,
)
from fusionx.adapters.sql.repositories.summaries import PgShiftSummaries, SqlShiftSummaries
from fusionx.adapters.sql.repositories.tickets import (
    PgTicketRepository,
    SqliteTicketRepository,
    SqlTicketRepository,
)
from fusionx.adapters.sql.repositories.weekly_summaries import (
    PgWeeklySummaries,
    SqlWeeklySummaries,
)


@dataclass(frozen=True, slots=True)
class DialectRepositories:
    """The classes of the repositories that differ between dialects; the others are the
    same class on both."""

    shifts: type[SqlShiftRepository]
    tickets: type[SqlTicketRepository]
    orders: type[SqlOrderRepository]
    menu: type[SqlMenuRepository]
    stock: type[SqlStockLedger]
    login_failures: type[SqlLoginFailureLog]
    tokens: type[SqlAccessTokenRepository]
    capacity: type[SqlCapacityRepository]
    summaries: type[SqlShiftSummaries]
    events: type[SqlEventLog]
    weekly_summaries: type[SqlWeeklySummaries]
    fleet_activity: type[SqlFleetActivity]
    analytics: type[SqlFleetAnalytics]


POSTGRES = DialectRepositories(
    shifts=PgShiftRepository,
    tickets=PgTicketRepository,
    orders=PgOrderRepository,
    menu=PgMenuRepository,
    stock=PgStockLedger,
    login_failures=PgLoginFailureLog,
    tokens=PgAccessTokenRepository,
    capacity=PgCapacityRepository,
    summaries=PgShiftSummaries,
    events=PgEventLog,
    weekly_summaries=PgWeeklySummaries,
    fleet_activity=PgFleetActivity,
    analytics=PgFleetAnalytics,
)
SQLITE = DialectRepositories(
    shifts=SqlShiftRepository,
    tickets=SqliteTicketRepository,
    orders=SqlOrderRepository,
    menu=SqlMenuRepository,
    stock=SqliteStockLedger,
    login_failures=SqlLoginFailureLog,
    tokens=SqlAccessTokenRepository,
    capacity=SqliteCapacityRepository,
    summaries=SqlShiftSummaries,
    events=SqliteEventLog,
    weekly_summaries=SqlWeeklySummaries,
    fleet_activity=SqliteFleetActivity,
    analytics=SqlFleetAnalytics,
)
_BY_NAME = {"postgresql": POSTGRES, "sqlite": SQLITE}


def repositories_for(dialect_name: str) -> DialectRepositories:
    """The repositories of a SQLAlchemy dialect, by its name (``engine.dialect.name``)."""
    try:
        return _BY_NAME[dialect_name]
    except KeyError:
        raise ValueError(f"FusionX runs on PostgreSQL or SQLite, not {dialect_name}") from None
