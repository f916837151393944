"""The composition root: the one place that picks adapters for the ports.

The HTTP app, the CLI and the tests all get their adapters from here, so what runs
in production is what the tests wire, bar the adapters they choose to swap.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from fusionx.adapters.clock.system_clock import SystemClock
from fusionx.adapters.email.background import BackgroundEmailSender
from fusionx.adapters.email.unconfigured import UnconfiguredEmailSender
from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.jobs.schedule import ScheduledJob
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.memory.email import RecordingEmailSender
from fusionx.adapters.memory.idempotency import InMemoryIdempotencyStore
from fusionx.adapters.memory.ids import SequentialIdGenerator
from fusionx.adapters.memory.password_hasher import InMemoryPasswordHasher
from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.adapters.memory.webhooks import StaticHostResolver
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
from fusionx.adapters.tracking.hmac_links import HmacTrackingLinks
from fusionx.core.model.events import ShiftEvent
from fusionx.core.model.tickets import DEFAULT_RECALL_WINDOW
from fusionx.core.model.webhooks import WebhookPolicy
from fusionx.core.rules.login_throttle import (
    CODE_ADDRESS_POLICY,
    CODE_DESTINATION_POLICY,
    RESET_ADDRESS_POLICY,
    RESET_EMAIL_POLICY,
    ThrottlePolicy,
)
from fusionx.core.use_cases.commands.deliver_webhooks import DeliverWebhooks
from fusionx.core.use_cases.commands.dispatch_notifications import DispatchNotifications
from fusionx.core.use_cases.commands.plan_notifications import PlanNotifications
from fusionx.core.use_cases.commands.plan_webhook_deliveries import PlanWebhookDeliveries
from fusionx.core.use_cases.commands.release_lapsed_holds import DEFAULT_HOLD
from fusionx.core.use_cases.queries.list_truck_devices import DEFAULT_STALE_AFTER
from fusionx.entrypoints.background import PeriodicTask
from fusionx.entrypoints.email_settings import EmailSettings
from fusionx.entrypoints.job_settings import JobSettings
from fusionx.entrypoints.notification_dispatcher import BackgroundDispatcher
from fusionx.entrypoints.notification_settings import NotificationSettings
from fusionx.entrypoints.payment_settings import PaymentSettings
from fusionx.entrypoints.public_paths import TRACKING_PAGE
from fusionx.entrypoints.rate_limit_settings import MEMORY, RateLimitSettings
from fusionx.entrypoints.scheduled_work import Purges, scheduled_jobs
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.shutdown import Drain
from fusionx.entrypoints.webhook_settings import WebhookSettings
from fusionx.ports.clock import Clock
from fusionx.ports.email_sender import EmailSender
from fusionx.ports.event_bus import EventBus
from fusionx.ports.event_payloads import EventPayloads
from fusionx.ports.event_reaction import EventReaction
from fusionx.ports.host_resolver import HostResolver
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
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from fusionx.ports.webhook_sender import WebhookSender

if TYPE_CHECKING:  # loaded lazily: in-memory wiring never imports SQLAlchemy
    from fusionx.adapters.sql.database import SqlDatabase

Hook = Callable[[], Awaitable[None]]
# How many notifications wait in the outbox, and the oldest one's age (for /metrics).
OutboxBacklog = Callable[[datetime], Awaitable[tuple[int, float]]]


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
    # What customers pay in, and how long an unpaid online order holds its stock.
    currency: str = "eur"
    payment_hold: timedelta = DEFAULT_HOLD
    device_stale_after: timedelta = DEFAULT_STALE_AFTER
    # Account emails: ``email`` answers once the mail server took the message,
    # ``email_later`` at once (the password reset, whose timing must reveal nothing).
    email: EmailSender = field(default_factory=UnconfiguredEmailSender)
    email_later: EmailSender = field(default_factory=UnconfiguredEmailSender)
    # What the links in those emails start with (FUSIONX_PUBLIC_URL).
    public_url: str = "http://127.0.0.1:8000"
    # Orders' tracking tokens and links (one key for every worker: see the adapter).
    tracking: TrackingLinks = field(
        default_factory=lambda: HmacTrackingLinks.ephemeral(f"http://127.0.0.1:8000{TRACKING_PAGE}")
    )
    # Password-reset requests per client address, and per email (docs/security.md).
    reset_limits: tuple[ThrottlePolicy, ThrottlePolicy] = (
        RESET_ADDRESS_POLICY,
        RESET_EMAIL_POLICY,
    )
    # Customer sign-in codes asked for per client address, and per destination.
    code_limits: tuple[ThrottlePolicy, ThrottlePolicy] = (
        CODE_ADDRESS_POLICY,
        CODE_DESTINATION_POLICY,
    )
    outbox_backlog: OutboxBacklog | None = None
    on_startup: Sequence[Hook] = ()
    on_shutdown: Sequence[Hook] = ()
    # Set when the worker is told to stop (entrypoints/shutdown.py): readiness fails,
    # streams close and background work winds down before the server stops.
    drain: Drain = field(default_factory=Drain)
    # Problems, alerts and emails in the reader's language (the packaged catalogues).
    translator: Translator = field(default_factory=packaged_translator)
    # The work done on a schedule (sweeps, purges, weekly summaries), for the runner
    # that does it: started with the app on the embedded database, else ``fusionx worker``.
    scheduled: Sequence[ScheduledJob] = ()
    # Where webhooks may go (docs/webhooks.md), and how their hosts are looked up: the
    # system's resolver in production, a table in memory (no DNS in unit tests).
    webhook_policy: WebhookPolicy = field(default_factory=WebhookPolicy)
    webhook_resolver: HostResolver = field(default_factory=StaticHostResolver)


class Reactions:
    """Every reaction to committed events, one after the other in the same transaction:
    the notifications, then the webhook deliveries."""

    def __init__(self, *reactions: EventReaction) -> None:
        self._reactions = reactions

    async def __call__(self, uow: UnitOfWork, events: Sequence[ShiftEvent]) -> None:
        for reaction in self._reactions:
            await reaction(uow, events)


def reactions(ids: IdGenerator, translator: Translator) -> Reactions:
    return Reactions(PlanNotifications(ids, translator), PlanWebhookDeliveries(ids))


class _AlwaysReady:
    async def problems(self) -> list[str]:
        return []


def sql_adapters(
    settings: Settings,
    notifications: NotificationSettings | None = None,
    email_settings: EmailSettings | None = None,
    payments: PaymentSettings | None = None,
    rate_limits: RateLimitSettings | None = None,
    *,
    jobs: JobSettings | None = None,
    webhooks: WebhookSettings | None = None,
    payloads: EventPayloads | None = None,
) -> Adapters:
    """Production wiring: SQLite or PostgreSQL by URL, argon2id, the system clock, the
    push and SMS providers with the dispatcher that feeds them, the mail server, the
    payment gateway, and the rate limiter on Redis when configured, else on the database.
    Webhooks are delivered by every worker given ``payloads``, the events' public wire
    format (the HTTP edge's, which this module may not import); without it (the
    command line's own commands) none are sent from this process."""
    # Imported here so in-memory wiring (unit tests) never loads SQLAlchemy.
    from fusionx.adapters.sql.database import SqlDatabase  # noqa: PLC0415
    from fusionx.adapters.webhooks.lazy_sender import LazyWebhookSender  # noqa: PLC0415
    from fusionx.adapters.webhooks.system_resolver import SystemHostResolver  # noqa: PLC0415
    from fusionx.entrypoints.notification_providers import providers  # noqa: PLC0415

    url = settings.resolved_database_url
    hub, clock, ids, drain = InProcessEventHub(), SystemClock(), Uuid7Generator(), Drain()
    # Publications are spans when tracing is on; the listener feeds the hub itself.
    bus: EventBus = TracedEventBus(hub) if tracing_on() else hub
    translator = packaged_translator()
    database = SqlDatabase(
        url,
        bus=bus,
        reaction=reactions(ids, translator),
        pool_size=settings.database_pool_size,
        pool_timeout_seconds=settings.database_pool_timeout_seconds,
    )
    idempotency = database.idempotency_store()
    purges: dict[str, Purges] = {"purge-idempotency-keys": idempotency}
    public_limiter = _public_limiter(database, clock, rate_limits or RateLimitSettings(), purges)
    stale_after = timedelta(seconds=settings.device_stale_seconds)
    email_settings = email_settings or EmailSettings()
    email = email_sender(email_settings)
    jobs = jobs or JobSettings()
    payments = payments or PaymentSettings()
    hold = timedelta(minutes=payments.payments_hold_minutes)
    scheduled = scheduled_jobs(
        uow=database.unit_of_work,
        clock=clock,
        ids=ids,
        hold=hold,
        late_margin=timedelta(minutes=settings.late_margin_minutes),
        stale_after=stale_after,
        purges=purges,
        email=email if email_settings.configured else None,
        translator=translator,
        currency=jobs.summary_currency,
        summaries_every=timedelta(seconds=jobs.summary_check_seconds),
    )
    in_process = settings.is_embedded if jobs.jobs_in_process is None else jobs.jobs_in_process
    # Embedded: each job a loop in this process. PostgreSQL: the job queue runs them
    # (``fusionx worker``), once for the whole deployment, whatever the workers here.
    tasks = [PeriodicTask(job.name, job.run, job.every.total_seconds()) for job in scheduled]
    tasks = tasks if in_process else []
    webhooks = webhooks or WebhookSettings()
    resolver = SystemHostResolver()
    webhook_sender = LazyWebhookSender(webhooks.webhooks_timeout_seconds)
    if payloads is not None:
        tasks.append(
            _webhook_delivery(
                database.unit_of_work, clock, (resolver, webhook_sender), payloads, webhooks
            )
        )
    on_startup: list[Hook] = [task.start for task in tasks]
    on_shutdown: list[Hook] = [
        *(task.stop for task in tasks),
        webhook_sender.close,
        database.dispose,
    ]
    if not settings.is_embedded:
        # Other workers and instances commit events too: PostgreSQL tells us of them.
        from fusionx.adapters.events.pg_listener import PgEventListener  # noqa: PLC0415

        # Straight to PostgreSQL where the pool goes through a transaction pooler.
        listener = PgEventListener(settings.listener_database_url or url, hub)
        on_startup.append(listener.start)
        on_shutdown.insert(0, listener.stop)
    notifications = notifications or NotificationSettings()
    public_url = settings.public_url or f"http://{settings.host}:{settings.port}"
    # The link a customer is sent opens the tracking page, not the JSON beneath it.
    tracking_page = public_url.rstrip("/") + TRACKING_PAGE
    tracking = (
        HmacTrackingLinks(settings.tracking_secret.encode(), tracking_page)
        if settings.tracking_secret
        else HmacTrackingLinks.ephemeral(tracking_page)
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
    gateway, close_gateway = payment_gateway(payments)
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
        currency=payments.payments_currency,
        payment_hold=hold,
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
        scheduled=scheduled,
        webhook_policy=webhooks.policy,
        webhook_resolver=resolver,
    )


def _public_limiter(
    database: SqlDatabase, clock: Clock, settings: RateLimitSettings, purges: dict[str, Purges]
) -> RateLimiter:
    """The public routes' limiter: on Redis when configured, else on the database, whose
    expired windows are then purged on a schedule (added to ``purges``)."""
    rate, store = settings.public_rate_limit, settings.rate_limit_storage_url
    if store is None:
        # Every worker and instance shares the database: their counts are one count.
        sql_limiter = database.rate_limiter(clock, rate)
        purges["purge-rate-limit-windows"] = sql_limiter
        return sql_limiter
    # Imported here: on the database's counter, workers never load the limits library.
    from fusionx.adapters.rate_limits.limits_limiter import LimitsRateLimiter  # noqa: PLC0415

    if store == MEMORY:
        return LimitsRateLimiter.in_memory(rate)
    return LimitsRateLimiter.from_url(rate, store)


def _webhook_delivery(
    uow: UnitOfWorkFactory,
    clock: Clock,
    route: tuple[HostResolver, WebhookSender],
    payloads: EventPayloads,
    settings: WebhookSettings,
) -> PeriodicTask:
    """Every serving worker sends, as the notification dispatcher does: partners wait
    seconds, not a queue's tick; the leased claims share the work out."""
    resolver, sender = route
    deliverer = DeliverWebhooks(uow, clock, resolver, sender, payloads, settings.policy)
    return PeriodicTask("deliver-webhooks", deliverer.run_once, settings.webhooks_poll_seconds)


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
    from fusionx.adapters.rate_limits.limits_limiter import LimitsRateLimiter  # noqa: PLC0415

    hub, clock = InProcessEventHub(), clock or ManualClock()
    email = email or RecordingEmailSender()
    ids = SequentialIdGenerator()
    translator = packaged_translator()
    units = InMemoryUnitOfWorkFactory(bus=hub, reaction=reactions(ids, translator))
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
