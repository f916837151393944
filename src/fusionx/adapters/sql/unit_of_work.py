from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from types import TracebackType
from typing import Self
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.dialects import DialectRepositories, repositories_for
from fusionx.adapters.sql.errors import CONNECTION_ERRORS, as_port_error, unavailable
from fusionx.adapters.sql.repositories.access_tokens import SqlAccessTokenRepository
from fusionx.adapters.sql.repositories.analytics import SqlFleetAnalytics
from fusionx.adapters.sql.repositories.audience import AudienceMemo, SqlNotificationAudience
from fusionx.adapters.sql.repositories.capacity import SqlCapacityRepository
from fusionx.adapters.sql.repositories.customers import (
    SqlCustomerRepository,
    SqlLoyaltyLedger,
    SqlSignInCodeRepository,
)
from fusionx.adapters.sql.repositories.devices import SqlDeviceRepository
from fusionx.adapters.sql.repositories.email_tokens import SqlEmailTokenRepository
from fusionx.adapters.sql.repositories.events import SqlEventLog
from fusionx.adapters.sql.repositories.exports import SqlExportSource
from fusionx.adapters.sql.repositories.fleet_events import SqlFleetEventLog
from fusionx.adapters.sql.repositories.fleet_live import SqlFleetActivity
from fusionx.adapters.sql.repositories.history import SqlHistory
from fusionx.adapters.sql.repositories.hold_ahead import HoldAhead
from fusionx.adapters.sql.repositories.hours import SqlOperatingHoursRepository
from fusionx.adapters.sql.repositories.locations import SqlLocationRepository
from fusionx.adapters.sql.repositories.login_failures import SqlLoginFailureLog
from fusionx.adapters.sql.repositories.menu import SqlMenuRepository
from fusionx.adapters.sql.repositories.notification_settings import (
    SqlNotificationPreferenceRepository,
    SqlPushTokenRepository,
    SqlSmsNumberBlocklist,
    SqlStockThresholds,
    ThresholdsMemo,
)
from fusionx.adapters.sql.repositories.order_audit import SqlCancellationLog, SqlRefundLedger
from fusionx.adapters.sql.repositories.orders import PendingOrders, SqlOrderRepository
from fusionx.adapters.sql.repositories.outbox import SqlNotificationOutbox
from fusionx.adapters.sql.repositories.pairing_codes import SqlPairingCodeRepository
from fusionx.adapters.sql.repositories.payments import SqlReceivedPaymentLog
from fusionx.adapters.sql.repositories.reviews import SqlReviewRepository
from fusionx.adapters.sql.repositories.shifts import SqlShiftRepository
from fusionx.adapters.sql.repositories.staff import SqlStaffRepository
from fusionx.adapters.sql.repositories.stock import SqlStockLedger
from fusionx.adapters.sql.repositories.summaries import SqlShiftSummaries
from fusionx.adapters.sql.repositories.tickets import SqlTicketRepository
from fusionx.adapters.sql.repositories.tracking import SqlOrderTrackingRepository
from fusionx.adapters.sql.repositories.trucks import SqlTruckRepository
from fusionx.adapters.sql.repositories.webhooks import (
    SqlWebhookDeliveryQueue,
    SqlWebhookEndpointRepository,
    SubscribedMemo,
)
from fusionx.adapters.sql.repositories.weekly_summaries import SqlWeeklySummaries
from fusionx.core.model.audit import Origin
from fusionx.core.model.events import NewEvent, ShiftEvent
from fusionx.core.model.fleet_events import NewFleetEvent
from fusionx.core.model.shifts import Shift
from fusionx.ports.event_bus import EventBus
from fusionx.ports.event_reaction import EventReaction


class SqlUnitOfWork:
    """``UnitOfWork`` over one ``AsyncSession``: one database transaction.

    Entering connects (``StorageUnavailable`` if the database cannot be reached) and
    begins the transaction; ``commit`` writes the events appended since the last commit,
    makes the writes visible, then hands the events and the credentials it revoked to the
    bus; leaving the block rolls back whatever was not committed, drops its events and
    hands the connection back to the pool. The unit may be entered again. Before
    committing, ``reaction`` runs over the events, numbered, in the same transaction.
    ``dialect`` names the repositories of the database's dialect (by default, those of
    the sessions' engine): chosen here, once, rather than inside each repository method.
    """

    def __init__(
        self,
        sessions: Callable[[], AsyncSession],
        bus: EventBus | None = None,
        reaction: EventReaction | None = None,
        dialect: DialectRepositories | None = None,
    ) -> None:
        self._sessions = sessions
        self._dialect = dialect or repositories_for(self._session.get_bind().dialect.name)
        self._bus = bus
        self._reaction = reaction
        self._appended: list[NewEvent] = []
        # Orders whose writes go with their shift's events at commit (PostgreSQL).
        self._pending_orders: PendingOrders = []
        # Events a repository numbered and wrote before the commit (a kitchen transition
        # on PostgreSQL): published and reacted to with those numbered at commit.
        self._written: list[ShiftEvent] = []
        # What a statement that wrote one of them, or read ahead of them, read of the
        # webhook endpoints; and of trucks' audiences and items' thresholds (an order's
        # intake, for the reaction at commit).
        self._subscribed: SubscribedMemo = {}
        self._audiences: AudienceMemo = {}
        self._thresholds: ThresholdsMemo = {}
        # Shifts an order's stock take holds with its stock (PostgreSQL's intake asks).
        self._hold_ahead = HoldAhead()
        self._fleet_appended: list[NewFleetEvent] = []
        self._revoked: list[UUID] = []  # credentials revoked in this unit
        self._held_shifts: dict[UUID, Shift] = {}  # shift rows this unit holds, by id
        self.origin = Origin()
        # Repositories are made on first use: a unit touches a few of its twenty-odd,
        # and making all of them tripled the cost of opening a unit (38 µs against 12).

    @cached_property
    def _session(self) -> AsyncSession:
        # Made on first use: a reading unit on PostgreSQL may need none (reading.py).
        return self._sessions()

    @cached_property
    def staff(self) -> SqlStaffRepository:
        return SqlStaffRepository(self._session)

    @cached_property
    def trucks(self) -> SqlTruckRepository:
        return SqlTruckRepository(self._session)

    @cached_property
    def locations(self) -> SqlLocationRepository:
        return SqlLocationRepository(self._session)

    @cached_property
    def hours(self) -> SqlOperatingHoursRepository:
        return SqlOperatingHoursRepository(self._session)

    @cached_property
    def devices(self) -> SqlDeviceRepository:
        return SqlDeviceRepository(self._session)

    @cached_property
    def tokens(self) -> SqlAccessTokenRepository:
        return self._dialect.tokens(self._session, self._revoked)

    @cached_property
    def email_tokens(self) -> SqlEmailTokenRepository:
        return SqlEmailTokenRepository(self._session)

    @cached_property
    def login_failures(self) -> SqlLoginFailureLog:
        return self._dialect.login_failures(self._session)

    @cached_property
    def shifts(self) -> SqlShiftRepository:
        return self._dialect.shifts(
            self._session,
            self._held_shifts,
            audiences=self._audiences,
            subscribed=self._subscribed,
            thresholds=self._thresholds,
            hold_ahead=self._hold_ahead,
        )

    @cached_property
    def menu(self) -> SqlMenuRepository:
        return self._dialect.menu(self._session)

    @cached_property
    def stock(self) -> SqlStockLedger:
        return self._dialect.stock(self._session, self._hold_ahead)

    @cached_property
    def orders(self) -> SqlOrderRepository:
        return self._dialect.orders(self._session, self._pending_orders)

    @cached_property
    def tickets(self) -> SqlTicketRepository:
        return self._dialect.tickets(self._session, self._appended, self._written, self._subscribed)

    @cached_property
    def events(self) -> SqlEventLog:
        return self._dialect.events(self._session, self._appended, self._pending_orders)

    @cached_property
    def fleet_events(self) -> SqlFleetEventLog:
        return SqlFleetEventLog(self._session, self._fleet_appended)

    @cached_property
    def outbox(self) -> SqlNotificationOutbox:
        return SqlNotificationOutbox(self._session)

    @cached_property
    def push_tokens(self) -> SqlPushTokenRepository:
        return SqlPushTokenRepository(self._session)

    @cached_property
    def audience(self) -> SqlNotificationAudience:
        return SqlNotificationAudience(self._session, self._audiences)

    @cached_property
    def preferences(self) -> SqlNotificationPreferenceRepository:
        return SqlNotificationPreferenceRepository(self._session)

    @cached_property
    def sms_numbers(self) -> SqlSmsNumberBlocklist:
        return SqlSmsNumberBlocklist(self._session)

    @cached_property
    def stock_thresholds(self) -> SqlStockThresholds:
        return SqlStockThresholds(self._session, self._thresholds)

    @cached_property
    def cancellations(self) -> SqlCancellationLog:
        return SqlCancellationLog(self._session)

    @cached_property
    def refunds(self) -> SqlRefundLedger:
        return SqlRefundLedger(self._session)

    @cached_property
    def payments(self) -> SqlReceivedPaymentLog:
        return SqlReceivedPaymentLog(self._session)

    @cached_property
    def capacity(self) -> SqlCapacityRepository:
        return self._dialect.capacity(self._session)

    @cached_property
    def history(self) -> SqlHistory:
        return SqlHistory(self._session)

    @cached_property
    def fleet_activity(self) -> SqlFleetActivity:
        return self._dialect.fleet_activity(self._session)

    @cached_property
    def exports(self) -> SqlExportSource:
        return SqlExportSource(self._session)

    @cached_property
    def summaries(self) -> SqlShiftSummaries:
        return self._dialect.summaries(self._session)

    @cached_property
    def weekly_summaries(self) -> SqlWeeklySummaries:
        return self._dialect.weekly_summaries(self._session)

    @cached_property
    def analytics(self) -> SqlFleetAnalytics:
        return self._dialect.analytics(self._session)

    @cached_property
    def webhook_endpoints(self) -> SqlWebhookEndpointRepository:
        return SqlWebhookEndpointRepository(self._session, self._subscribed)

    @cached_property
    def webhook_deliveries(self) -> SqlWebhookDeliveryQueue:
        return SqlWebhookDeliveryQueue(self._session)

    @cached_property
    def customers(self) -> SqlCustomerRepository:
        return SqlCustomerRepository(self._session)

    @cached_property
    def sign_in_codes(self) -> SqlSignInCodeRepository:
        return SqlSignInCodeRepository(self._session)

    @cached_property
    def pairing_codes(self) -> SqlPairingCodeRepository:
        return SqlPairingCodeRepository(self._session)

    @cached_property
    def loyalty(self) -> SqlLoyaltyLedger:
        return SqlLoyaltyLedger(self._session)

    @cached_property
    def tracking(self) -> SqlOrderTrackingRepository:
        return SqlOrderTrackingRepository(self._session)

    @cached_property
    def reviews(self) -> SqlReviewRepository:
        return SqlReviewRepository(self._session)

    def _forget_pending(self) -> None:
        """Drop what the unit gathered for its commit: events, revocations, held rows."""
        self._appended.clear()
        self._pending_orders.clear()
        self._written.clear()
        self._subscribed.clear()
        self._audiences.clear()
        self._thresholds.clear()
        self._hold_ahead.clear()
        self._fleet_appended.clear()
        self._revoked.clear()
        self._held_shifts.clear()

    async def __aenter__(self) -> Self:
        self._forget_pending()
        try:
            # Connect now, so an unreachable database fails here as a port error
            # rather than as a driver error from somewhere inside a use case.
            await self._session.connection()
        except CONNECTION_ERRORS as error:
            # Anything failing while merely connecting (refused, timed out, unknown
            # database, bad credentials) means the store is out of reach.
            await self._session.close()
            raise unavailable(error) from error
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back the open transaction, if any, and releases the connection.
        self._forget_pending()
        if "_session" in self.__dict__:
            await self._session.close()
        # A statement inside the block failed because of the database, not the use case:
        # say so in the ports' terms, so that callers answer "retry", not "bug".
        translated = as_port_error(exc) if exc is not None else None
        if translated is not None:
            raise translated from exc

    async def commit(self) -> None:
        # Numbered first, so the reaction sees the events as the log holds them; it
        # appends none. From here on the unit holds the rows of the shifts it logged to.
        # Taken off the unit: if the commit fails, these events never happened.
        committed = await self.events.write_pending()
        if self._written:
            committed = [*self._written, *committed]
            self._written.clear()
        if self._reaction is not None and committed:
            # Inside the transaction: what it writes commits, or not, with the events.
            await self._reaction(self, tuple(committed))
            if self._appended:  # pragma: no cover - a broken reaction, not a user's error
                raise RuntimeError("an EventReaction appended events: they would be lost")
        if self._fleet_appended:  # no round trip for a unit that logged no fleet event
            await self.fleet_events.write_pending()
        try:
            await self._keep()
        except Exception as error:
            translated = as_port_error(error)
            if translated is not None:
                raise translated from error
            raise
        revoked = tuple(self._revoked)
        # Written and lasting: nothing the unit gathered is pending any more, and the
        # rows it held are free.
        self._forget_pending()
        await self._announce(committed, revoked)

    async def _keep(self) -> None:
        """Make the unit's writes last: here, commit its transaction."""
        await self._session.commit()

    async def _announce(self, committed: list[ShiftEvent], revoked: Sequence[UUID]) -> None:
        """Tell the bus of events and credential revocations whose writes lasted."""
        if self._bus is not None and committed:
            await self._bus.publish(committed)
        if self._bus is not None and revoked:
            await self._bus.revoked(revoked)

    async def rollback(self) -> None:
        self._forget_pending()
        await self._session.rollback()
