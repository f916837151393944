from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from fusionx.core.model.audit import Origin
from fusionx.ports.repositories.access_tokens import AccessTokenRepository
from fusionx.ports.repositories.analytics import FleetAnalytics
from fusionx.ports.repositories.audience import NotificationAudience
from fusionx.ports.repositories.cancellations import CancellationLog
from fusionx.ports.repositories.capacity import CapacityRepository
from fusionx.ports.repositories.customers import CustomerRepository
from fusionx.ports.repositories.devices import DeviceRepository
from fusionx.ports.repositories.email_tokens import EmailTokenRepository
from fusionx.ports.repositories.events import EventLog
from fusionx.ports.repositories.exports import ExportSource
from fusionx.ports.repositories.fleet_events import FleetEventLog
from fusionx.ports.repositories.fleet_live import FleetActivity
from fusionx.ports.repositories.history import History
from fusionx.ports.repositories.hours import OperatingHoursRepository
from fusionx.ports.repositories.locations import LocationRepository
from fusionx.ports.repositories.login_failures import LoginFailureLog
from fusionx.ports.repositories.loyalty import LoyaltyLedger
from fusionx.ports.repositories.menu import MenuRepository
from fusionx.ports.repositories.notification_preferences import NotificationPreferenceRepository
from fusionx.ports.repositories.orders import OrderRepository
from fusionx.ports.repositories.outbox import NotificationOutbox
from fusionx.ports.repositories.pairing_codes import PairingCodeRepository
from fusionx.ports.repositories.payments import ReceivedPaymentLog
from fusionx.ports.repositories.push_tokens import PushTokenRepository
from fusionx.ports.repositories.refunds import RefundLedger
from fusionx.ports.repositories.reviews import ReviewRepository
from fusionx.ports.repositories.shifts import ShiftRepository
from fusionx.ports.repositories.sign_in_codes import SignInCodeRepository
from fusionx.ports.repositories.sms_numbers import SmsNumberBlocklist
from fusionx.ports.repositories.staff import StaffRepository
from fusionx.ports.repositories.stock import StockLedger
from fusionx.ports.repositories.stock_thresholds import StockThresholds
from fusionx.ports.repositories.summaries import ShiftSummaries
from fusionx.ports.repositories.tickets import TicketRepository
from fusionx.ports.repositories.tracking import OrderTrackingRepository
from fusionx.ports.repositories.trucks import TruckRepository
from fusionx.ports.repositories.webhook_deliveries import WebhookDeliveryQueue
from fusionx.ports.repositories.webhook_endpoints import WebhookEndpointRepository
from fusionx.ports.repositories.weekly_summaries import WeeklySummaries


class UnitOfWork(Protocol):
    """One transaction over every repository.

    Use as ``async with uow:``; nothing written is visible to anyone else until
    ``commit``. Leaving the block without committing rolls everything back. Events
    appended to ``events`` reach the live event bus after a successful commit only.
    Just before committing, the unit runs its ``EventReaction`` (if any) over the
    events it appended, so what the reaction writes (notifications) commits with them.
    Events appended to ``fleet_events`` are written with the unit's other writes, or
    not at all. ``origin`` says where the unit's changes come from (the request's
    client address and id); the entrypoint sets it, and every fleet event logged in the
    unit carries it.
    """

    origin: Origin

    @property
    def staff(self) -> StaffRepository: ...
    @property
    def trucks(self) -> TruckRepository: ...
    @property
    def locations(self) -> LocationRepository: ...
    @property
    def hours(self) -> OperatingHoursRepository: ...
    @property
    def devices(self) -> DeviceRepository: ...
    @property
    def tokens(self) -> AccessTokenRepository: ...
    @property
    def email_tokens(self) -> EmailTokenRepository: ...
    @property
    def login_failures(self) -> LoginFailureLog: ...
    @property
    def shifts(self) -> ShiftRepository: ...
    @property
    def menu(self) -> MenuRepository: ...
    @property
    def stock(self) -> StockLedger: ...
    @property
    def orders(self) -> OrderRepository: ...
    @property
    def tickets(self) -> TicketRepository: ...
    @property
    def events(self) -> EventLog: ...
    @property
    def fleet_events(self) -> FleetEventLog: ...
    @property
    def outbox(self) -> NotificationOutbox: ...
    @property
    def push_tokens(self) -> PushTokenRepository: ...
    @property
    def audience(self) -> NotificationAudience: ...
    @property
    def preferences(self) -> NotificationPreferenceRepository: ...
    @property
    def sms_numbers(self) -> SmsNumberBlocklist: ...
    @property
    def stock_thresholds(self) -> StockThresholds: ...
    @property
    def cancellations(self) -> CancellationLog: ...
    @property
    def refunds(self) -> RefundLedger: ...
    @property
    def payments(self) -> ReceivedPaymentLog: ...
    @property
    def capacity(self) -> CapacityRepository: ...
    @property
    def summaries(self) -> ShiftSummaries: ...
    @property
    def history(self) -> History: ...
    @property
    def fleet_activity(self) -> FleetActivity: ...
    @property
    def exports(self) -> ExportSource: ...
    @property
    def weekly_summaries(self) -> WeeklySummaries: ...
    @property
    def analytics(self) -> FleetAnalytics: ...
    @property
    def webhook_endpoints(self) -> WebhookEndpointRepository: ...
    @property
    def webhook_deliveries(self) -> WebhookDeliveryQueue: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def sign_in_codes(self) -> SignInCodeRepository: ...
    @property
    def pairing_codes(self) -> PairingCodeRepository: ...
    @property
    def loyalty(self) -> LoyaltyLedger: ...
    @property
    def tracking(self) -> OrderTrackingRepository: ...
    @property
    def reviews(self) -> ReviewRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work for each use-case run."""

    def __call__(self) -> UnitOfWork: ...
