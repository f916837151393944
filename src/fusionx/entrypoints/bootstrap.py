"""The composition root: the one place that picks adapters for the ports.

The HTTP app, the CLI and the tests all get their adapters from here, so what runs
in production is what the tests wire, bar the adapters they choose to swap.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from fusionx.adapters.clock.system_clock import SystemClock
from fusionx.adapters.email.background import BackgroundEmailSender
from fusionx.adapters.email.unconfigured import UnconfiguredEmailSender
from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.memory.email import RecordingEmailSender
from fusionx.adapters.memory.idempotency import InMemoryIdempotencyStore
from fusionx.adapters.memory.ids import SequentialIdGenerator
from fusionx.adapters.memory.password_hasher import InMemoryPasswordHasher
from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.adapters.notifications.unconfigured import (
    RefusingCallbackVerifier,
    UnconfiguredPushSender,
    UnconfiguredSmsSender,
)
from fusionx.adapters.observability.metered_senders import MeteredPushSender, MeteredSmsSender
from fusionx.adapters.observability.tracing import TracedEventBus, tracing_on
from fusionx.adapters.passwords.argon2_hasher import Argon2PasswordHasher
from fusionx.adapters.payments.hmac_verifier import HmacPaymentNotificationVerifier
from fusionx.adapters.payments.recording_gateway import RecordingPaymentGateway
from fusionx.adapters.rate_limits.limits_limiter import LimitsRateLimiter
from fusionx.adapters.tracking.hmac_links import HmacTrackingLinks
from fusionx.core.model.tickets import DEFAULT_RECALL_WINDOW
from fusionx.core.rules.login_throttle import (
    RESET_ADDRESS_POLICY,
    RESET_EMAIL_POLICY,
    ThrottlePolicy,
)
from fusionx.core.use_cases.commands.dispatch_notifications import DispatchNotifications
from fusionx.core.use_cases.commands.fire_due_tickets import FireDueTickets
from fusionx.core.use_cases.commands.plan_notifications import PlanNotifications
from fusionx.core.use_cases.commands.sweep_stale_devices import SweepStaleDevices
from fusionx.core.use_cases.commands.tell_late_orders import TellLateOrders
from fusionx.core.use_cases.queries.list_truck_devices import DEFAULT_STALE_AFTER
from fusionx.entrypoints.background import PeriodicTask
from fusionx.entrypoints.email_settings import EmailSettings
from fusionx.entrypoints.notification_dispatcher import BackgroundDispatcher
from fusionx.entrypoints.notification_settings import NotificationSettings
from fusionx.entrypoints.payment_settings import PaymentSettings
from fusionx.entrypoints.rate_limit_settings import MEMORY, RateLimitSettings
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.shutdown import Drain
from fusionx.ports.clock import Clock
from fusionx.ports.email_sender import EmailSender
from fusionx.ports.event_bus import EventBus
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.idempotency import IdempotencyStore
from fusionx.ports.password_hasher import PasswordHasher
from fusionx.ports.payment_gateway import PaymentGateway
from fusionx.ports.payment_notifications import PaymentNotificationVerifier
from fusionx.ports.push_sender import PushSender
from fusionx.ports.rate_limiter import RateLimiter
from fusionx.ports.readiness import ReadinessProbe
from fusionx.ports.refund_gateway import RefundGateway
from fusionx.ports.sms_callbacks import SmsCallbackVerifier
from fusionx.ports.sms_sender import SmsSender
from fusionx.ports.tracking_links import TrackingLinks
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWorkFactory

Hook = Callable[[], Awaitable[None]]
# How many notifications wait in the outbox, and the oldest one's age (for /metrics).
OutboxBacklog = Callable[[datetime], Awaitable[tuple[int, float]]]
# How often each worker looks for held tickets whose fire time has come, and for
# idempotency keys past their day.
FIRE_SWEEP_SECONDS = 1.0
PURGE_SECONDS = 600.0

# How often each worker looks for customers to tell their order slipped.
LATE_SWEEP_SECONDS = 60.0


@dataclass(frozen=True, kw_only=True)
class Adapters:
    """Everything the use cases need from the outside world, chosen once.

    ``reader`` makes units of work for use cases that only read (authentication, the
    kitchen feed): cheaper than ``uow``'s, and their ``commit`` raises.
    """

    uow: UnitOfWorkFactory
    reader: UnitOfWorkFactory
    clock: Clock
    ids: IdGenerator
    hasher: PasswordHasher
    readiness: ReadinessProbe
    bus: EventBus
    payment_notifications: PaymentNotificationVerifier
    idempotency: IdempotencyStore
    # Counts the hits of the routes marked public-rate-limited (``http/rate_limits``).
    public_rate_limiter: RateLimiter
    session_ttl: timedelta = timedelta(hours=12)
    push: PushSender = field(default_factory=UnconfiguredPushSender)
    sms: SmsSender = field(default_factory=UnconfiguredSmsSender)
    sms_callbacks: SmsCallbackVerifier = field(default_factory=RefusingCallbackVerifier)
    recall_window: timedelta = DEFAULT_RECALL_WINDOW
    # One gateway in both roles (Stripe, or the recording one where no money moves).
    refunds: RefundGateway = field(default_factory=RecordingPaymentGateway)
    payments: PaymentGateway = field(default_factory=RecordingPaymentGateway)
    device_stale_after: timedelta = DEFAULT_STALE_AFTER
    # Account emails: ``email`` answers once the mail server took the message,
    # ``email_later`` at once (the password reset, whose timing must reveal nothing).
    email: EmailSender = field(default_factory=UnconfiguredEmailSender)
    email_later: EmailSender = field(default_factory=UnconfiguredEmailSender)
    # What the links in those emails start with (FUSIONX_PUBLIC_URL).
    public_url: str = "http://127.0.0.1:8000"
    # Orders' tracking tokens and links (one key for every worker: see the adapter).
    tracking: TrackingLinks = field(
        default_factory=lambda: HmacTrackingLinks.ephemeral("http://127.0.0.1:8000")
    )
    # Password-reset requests per client address, and per email (docs/security.md).
    reset_limits: tuple[ThrottlePolicy, ThrottlePolicy] = (
        RESET_ADDRESS_POLICY,
        RESET_EMAIL_POLICY,
    )
    outbox_backlog: OutboxBacklog | None = None
    on_startup: Sequence[Hook] = ()
    on_shutdown: Sequence[Hook] = ()
    # Set when the worker is told to stop (entrypoints/shutdown.py): readiness fails,
    # streams close and background work winds down before the server stops.
    drain: Drain = field(default_factory=Drain)
    # Problems, alerts and emails in the reader's language (the packaged catalogues).
    translator: Translator = field(default_factory=packaged_translator)


class _AlwaysReady:
    async def problems(self) -> list[str]:
        return []


def sql_adapters(
    settings: Settings,
    notifications: NotificationSettings | None = None,
    email_settings: EmailSettings | None = None,
    payments: PaymentSettings | None = None,
    rate_limits: RateLimitSettings | None = None,
) -> Adapters:
    """Production wiring: SQLite or PostgreSQL by URL, argon2id, the system clock, the
    push and SMS providers with the dispatcher that feeds them, the mail server, the
    payment gateway, and the rate limiter on Redis when configured, else on the database."""
    # Imported here so in-memory wiring (unit tests) never loads SQLAlchemy.
    from fusionx.adapters.sql.database import SqlDatabase  # noqa: PLC0415
    from fusionx.entrypoints.notification_providers import providers  # noqa: PLC0415

    url = settings.resolved_database_url
    hub, clock, ids, drain = InProcessEventHub(), SystemClock(), Uuid7Generator(), Drain()
    # Publications are spans when tracing is on; the listener feeds the hub itself.
    bus: EventBus = TracedEventBus(hub) if tracing_on() else hub
    translator = packaged_translator()
    database = SqlDatabase(url, bus=bus, reaction=PlanNotifications(ids, translator))
    fire_sweep = PeriodicTask(
        "fire-due-tickets", FireDueTickets(database.unit_of_work, clock).execute, FIRE_SWEEP_SECONDS
    )
    idempotency = database.idempotency_store()
    purge = PeriodicTask(
        "purge-idempotency-keys", lambda: idempotency.purge(clock.now()), PURGE_SECONDS
    )
    rate_limits = rate_limits or RateLimitSettings()
    rate, store = rate_limits.public_rate_limit, rate_limits.rate_limit_storage_url
    if store is None:
        # Every worker and instance shares the database: their counts are one count.
        sql_limiter = database.rate_limiter(clock, rate)
        public_limiter: RateLimiter = sql_limiter
        purge_windows = PeriodicTask(
            "purge-rate-limit-windows", lambda: sql_limiter.purge(clock.now()), PURGE_SECONDS
        )
    elif store == MEMORY:
        public_limiter, purge_windows = LimitsRateLimiter.in_memory(rate), None
    else:
        public_limiter, purge_windows = LimitsRateLimiter.from_url(rate, store), None
    stale_after = timedelta(seconds=settings.device_stale_seconds)
    # Several workers sweep at once; each device is marked stale by one of them only.
    stale_sweep = PeriodicTask(
        "sweep-stale-devices",
        SweepStaleDevices(database.unit_of_work, clock, stale_after).execute,
        max(1.0, stale_after.total_seconds() / 6),
    )
    # Customers whose order slipped past the time they were told: once a minute is
    # close enough for a margin of minutes; several workers tell each customer once.
    late_orders = PeriodicTask(
        "tell-late-orders",
        TellLateOrders(
            database.unit_of_work,
            clock,
            ids,
            translator,
            margin=timedelta(minutes=settings.late_margin_minutes),
        ).execute,
        LATE_SWEEP_SECONDS,
    )
    tasks = [
        fire_sweep,
        purge,
        stale_sweep,
        late_orders,
        *([purge_windows] if purge_windows else []),
    ]
    on_startup: list[Hook] = [task.start for task in tasks]
    on_shutdown: list[Hook] = [*(task.stop for task in tasks), database.dispose]
    if not settings.is_embedded:
        # Other workers and instances commit events too: PostgreSQL tells us of them.
        from fusionx.adapters.events.pg_listener import PgEventListener  # noqa: PLC0415

        # Straight to PostgreSQL where the pool goes through a transaction pooler.
        listener = PgEventListener(settings.listener_database_url or url, hub)
        on_startup.append(listener.start)
        on_shutdown.insert(0, listener.stop)
    notifications = notifications or NotificationSettings()
    public_url = settings.public_url or f"http://{settings.host}:{settings.port}"
    tracking = (
        HmacTrackingLinks(settings.tracking_secret.encode(), public_url)
        if settings.tracking_secret
        else HmacTrackingLinks.ephemeral(public_url)
    )
    email = email_sender(email_settings or EmailSettings())
    push, sms, verifier, close_providers = providers(notifications, clock)
    push, sms = MeteredPushSender(push), MeteredSmsSender(sms)
    dispatcher = BackgroundDispatcher(
        DispatchNotifications(
            database.unit_of_work,
            clock,
            ids,
            push,
            sms,
            lease=timedelta(seconds=notifications.notify_lease_seconds),
            email=email,
            tracking=tracking,
        ),
        poll_seconds=notifications.notify_poll_seconds,
    )
    on_startup.append(dispatcher.start)
    # Also where a worker is stopped without a drain: the batch in hand is finished first.
    on_shutdown[:0] = [dispatcher.drain, close_providers]
    for stop in (*(task.stop for task in tasks), dispatcher.drain):
        drain.on_drain(stop)
    email_later = BackgroundEmailSender(email)
    on_shutdown.insert(0, email_later.drain)
    gateway, close_gateway = payment_gateway(payments or PaymentSettings())
    on_shutdown.append(close_gateway)
    return Adapters(
        tracking=tracking,
        uow=database.unit_of_work,
        reader=database.reader,
        clock=clock,
        ids=ids,
        hasher=Argon2PasswordHasher(),
        readiness=drain.guard(database),
        bus=bus,
        payment_notifications=HmacPaymentNotificationVerifier(
            settings.payment_webhook_secret,
            clock,
            timedelta(seconds=settings.payment_webhook_tolerance_seconds),
        ),
        session_ttl=timedelta(hours=settings.session_ttl_hours),
        push=push,
        sms=sms,
        sms_callbacks=verifier,
        recall_window=timedelta(minutes=settings.recall_window_minutes),
        refunds=gateway,
        payments=gateway,
        idempotency=idempotency,
        public_rate_limiter=public_limiter,
        device_stale_after=stale_after,
        email=email,
        email_later=email_later,
        public_url=public_url,
        outbox_backlog=database.outbox_backlog,
        on_startup=tuple(on_startup),
        on_shutdown=tuple(on_shutdown),
        drain=drain,
        translator=translator,
    )


def email_sender(settings: EmailSettings) -> EmailSender:
    """The SMTP sender the settings ask for, else one that says email is off."""
    if not settings.configured:
        return UnconfiguredEmailSender()
    # Imported here: a process without a mail server never loads aiosmtplib.
    from fusionx.adapters.email.smtp import SmtpEmailSender  # noqa: PLC0415

    return SmtpEmailSender(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        username=settings.smtp_username or None,
        password=settings.smtp_password or None,
        starttls=settings.smtp_starttls,
        timeout_seconds=settings.smtp_timeout_seconds,
    )


class _Gateway(PaymentGateway, RefundGateway, Protocol):
    """What a payment gateway adapter is: both roles."""


def payment_gateway(settings: PaymentSettings) -> tuple[_Gateway, Hook]:
    """Stripe's API (or one speaking it) when a key is set, else the recording gateway;
    and how to close it."""
    if not settings.configured:
        return RecordingPaymentGateway(), _nothing
    # Imported here: without a gateway, workers never load its client.
    from fusionx.adapters.payments.stripe_gateway import StripePaymentGateway  # noqa: PLC0415

    stripe = StripePaymentGateway(
        api_key=settings.payments_api_key,
        api_url=settings.payments_api_url,
        timeout_seconds=settings.payments_timeout_seconds,
    )
    return stripe, stripe.close


async def _nothing() -> None:
    return None


def in_memory_adapters(
    clock: ManualClock | None = None,
    *,
    payment_webhook_secret: str | None = None,
    email: RecordingEmailSender | None = None,
    public_rate_limit: str = "100000/minute",
) -> Adapters:
    """Fast, deterministic wiring for tests: nothing leaves the process. Emails land in
    ``email`` (a fresh ``RecordingEmailSender`` by default), sent at once.

    Every test client calls from one address: the public rate limit is set out of reach
    unless a test names one (``public_rate_limit``) to test it.
    """
    hub, clock = InProcessEventHub(), clock or ManualClock()
    email = email or RecordingEmailSender()
    ids = SequentialIdGenerator()
    translator = packaged_translator()
    units = InMemoryUnitOfWorkFactory(bus=hub, reaction=PlanNotifications(ids, translator))
    drain, gateway = Drain(), RecordingPaymentGateway()
    return Adapters(
        uow=units,
        reader=units.reader,
        refunds=gateway,
        payments=gateway,
        bus=hub,
        clock=clock,
        ids=ids,
        payment_notifications=HmacPaymentNotificationVerifier(payment_webhook_secret, clock),
        hasher=InMemoryPasswordHasher(),
        readiness=drain.guard(_AlwaysReady()),
        idempotency=InMemoryIdempotencyStore(units),
        email=email,
        email_later=email,
        public_rate_limiter=LimitsRateLimiter.in_memory(public_rate_limit),
        drain=drain,
        translator=translator,
    )
