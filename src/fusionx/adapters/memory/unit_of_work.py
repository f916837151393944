from __future__ import annotations

from collections.abc import Sequence
from typing import Self
from uuid import UUID

from fusionx.adapters.memory.analytics import InMemoryFleetAnalytics
from fusionx.adapters.memory.customers import (
    InMemoryCustomerRepository,
    InMemoryLoyaltyLedger,
    InMemorySignInCodeRepository,
)
from fusionx.adapters.memory.email_tokens import InMemoryEmailTokenRepository
from fusionx.adapters.memory.exports import InMemoryExportSource
from fusionx.adapters.memory.fleet_events import InMemoryFleetEventLog
from fusionx.adapters.memory.fleet_live import InMemoryFleetActivity
from fusionx.adapters.memory.history import InMemoryHistory
from fusionx.adapters.memory.menu import InMemoryMenuRepository
from fusionx.adapters.memory.notification_repositories import (
    InMemoryNotificationAudience,
    InMemoryNotificationOutbox,
    InMemoryNotificationPreferenceRepository,
    InMemoryPushTokenRepository,
    InMemorySmsNumberBlocklist,
    InMemoryStockThresholds,
)
from fusionx.adapters.memory.operations import InMemoryCapacityRepository, InMemoryShiftSummaries
from fusionx.adapters.memory.order_audit import InMemoryCancellationLog, InMemoryRefundLedger
from fusionx.adapters.memory.pairing_codes import InMemoryPairingCodeRepository
from fusionx.adapters.memory.payments import InMemoryReceivedPaymentLog
from fusionx.adapters.memory.repositories import (
    InMemoryAccessTokenRepository,
    InMemoryDeviceRepository,
    InMemoryLocationRepository,
    InMemoryLoginFailureLog,
    InMemoryOperatingHoursRepository,
    InMemoryStaffRepository,
    InMemoryTruckRepository,
)
from fusionx.adapters.memory.shift_repositories import (
    InMemoryEventLog,
    InMemoryOrderRepository,
    InMemoryShiftRepository,
    InMemoryStockLedger,
    InMemoryTicketRepository,
)
from fusionx.adapters.memory.store import InMemoryStore, InMemoryTables
from fusionx.adapters.memory.tracking import (
    InMemoryOrderTrackingRepository,
    InMemoryReviewRepository,
)
from fusionx.adapters.memory.webhooks import (
    InMemoryWebhookDeliveryQueue,
    InMemoryWebhookEndpointRepository,
)
from fusionx.adapters.memory.weekly_summaries import InMemoryWeeklySummaries
from fusionx.core.model.audit import Origin
from fusionx.core.model.events import NewEvent, ShiftEvent
from fusionx.core.model.fleet_events import NewFleetEvent
from fusionx.ports.errors import ReadOnlyUnitOfWork
from fusionx.ports.event_bus import EventBus
from fusionx.ports.event_reaction import EventReaction


class InMemoryUnitOfWork:
    """Works on a private copy of the store's tables; ``commit`` publishes it.

    Units of work run one at a time (the store's write lock), like SQLite's. Events
    appended go to the bus after commit, once ``reaction`` has run over them, and so do
    the credentials revoked.
    ``committed`` tells tests whether the use case decided to keep its changes.
    """

    def __init__(
        self,
        store: InMemoryStore,
        bus: EventBus | None = None,
        reaction: EventReaction | None = None,
    ) -> None:
        self._store = store
        self._bus = bus
        self._reaction = reaction
        self.committed = False
        self.origin = Origin()
        self._bind(store.tables.snapshot())

    def _bind(self, tables: InMemoryTables) -> None:
        self._tables = tables
        self._appended: list[NewEvent] = []
        self._fleet_appended: list[NewFleetEvent] = []
        self._revoked: list[UUID] = []
        self.staff = InMemoryStaffRepository(tables)
        self.trucks = InMemoryTruckRepository(tables)
        self.locations = InMemoryLocationRepository(tables)
        self.hours = InMemoryOperatingHoursRepository(tables)
        self.devices = InMemoryDeviceRepository(tables)
        self.tokens = InMemoryAccessTokenRepository(tables, self._revoked)
        self.login_failures = InMemoryLoginFailureLog(tables)
        self.email_tokens = InMemoryEmailTokenRepository(tables)
        self.shifts = InMemoryShiftRepository(tables)
        self.menu = InMemoryMenuRepository(tables)
        self.stock = InMemoryStockLedger(tables)
        self.orders = InMemoryOrderRepository(tables)
        self.tickets = InMemoryTicketRepository(tables, self._appended)
        self.events = InMemoryEventLog(tables, self._appended)
        self.fleet_events = InMemoryFleetEventLog(tables, self._fleet_appended)
        self.outbox = InMemoryNotificationOutbox(tables)
        self.push_tokens = InMemoryPushTokenRepository(tables)
        self.audience = InMemoryNotificationAudience(tables)
        self.preferences = InMemoryNotificationPreferenceRepository(tables)
        self.sms_numbers = InMemorySmsNumberBlocklist(tables)
        self.stock_thresholds = InMemoryStockThresholds(tables)
        self.cancellations = InMemoryCancellationLog(tables)
        self.refunds = InMemoryRefundLedger(tables)
        self.payments = InMemoryReceivedPaymentLog(tables)
        self.capacity = InMemoryCapacityRepository(tables)
        self.summaries = InMemoryShiftSummaries(tables)
        self.history = InMemoryHistory(tables)
        self.fleet_activity = InMemoryFleetActivity(tables)
        self.exports = InMemoryExportSource(tables)
        self.weekly_summaries = InMemoryWeeklySummaries(tables)
        self.analytics = InMemoryFleetAnalytics(tables)
        self.webhook_endpoints = InMemoryWebhookEndpointRepository(tables)
        self.webhook_deliveries = InMemoryWebhookDeliveryQueue(tables)
        self.customers = InMemoryCustomerRepository(tables)
        self.sign_in_codes = InMemorySignInCodeRepository(tables)
        self.pairing_codes = InMemoryPairingCodeRepository(tables)
        self.loyalty = InMemoryLoyaltyLedger(tables)
        self.tracking = InMemoryOrderTrackingRepository(tables)
        self.reviews = InMemoryReviewRepository(tables)

    async def __aenter__(self) -> Self:
        await self._store.write_lock.acquire()
        self._bind(self._store.tables.snapshot())
        return self

    async def __aexit__(self, *exc_info: object) -> None:  # leaving is the same either way
        await self.rollback()
        self._store.write_lock.release()

    async def commit(self) -> None:
        published = self.events.write_pending()
        if self._reaction is not None and published:
            await self._reaction(self, tuple(published))
            if self._appended:  # pragma: no cover - a broken reaction, not a user's error
                raise RuntimeError("an EventReaction appended events: they would be lost")
        self.fleet_events.write_pending()
        self._keep(self._tables)
        self.committed = True
        revoked = tuple(self._revoked)
        self._bind(self._tables.snapshot())
        await self._announce(published, revoked)

    def _keep(self, tables: InMemoryTables) -> None:
        """Make the unit's writes last: here, publish its copy as the store's tables."""
        self._store.tables = tables

    async def _announce(self, published: list[ShiftEvent], revoked: Sequence[UUID]) -> None:
        """Tell the bus of events and credential revocations whose writes lasted."""
        if self._bus is not None and published:
            await self._bus.publish(published)
        if self._bus is not None and revoked:
            await self._bus.revoked(revoked)

    async def rollback(self) -> None:
        self._bind(self._store.tables.snapshot())


class InMemoryReadingUnitOfWork(InMemoryUnitOfWork):
    """For use cases that only read: the state last committed, without waiting for the
    write lock (as PostgreSQL's readers do not wait for writers). ``commit`` raises
    ``ReadOnlyUnitOfWork``, so nothing written to its private copy is ever kept."""

    async def __aenter__(self) -> Self:
        self._bind(self._store.tables.snapshot())
        return self

    async def __aexit__(self, *exc_info: object) -> None:  # leaving is the same either way
        return None

    async def commit(self) -> None:
        raise ReadOnlyUnitOfWork("a reading unit of work may not commit")


class InMemoryUnitOfWorkFactory:
    def __init__(
        self,
        store: InMemoryStore | None = None,
        bus: EventBus | None = None,
        reaction: EventReaction | None = None,
    ) -> None:
        self.store = store or InMemoryStore()
        self.bus = bus
        self.reaction = reaction

    def __call__(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store, self.bus, self.reaction)

    def reader(self) -> InMemoryReadingUnitOfWork:
        """A unit of work for a use case that only reads."""
        return InMemoryReadingUnitOfWork(self.store)
