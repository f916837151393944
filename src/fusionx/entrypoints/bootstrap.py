"""The composition root: the one place that picks adapters for the ports.

The HTTP app, the CLI and the tests all get their adapters from here, so what runs
in production is what the tests wire, bar the adapters they choose to swap.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fusionx.adapters.clock.system_clock import SystemClock
from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
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
from fusionx.adapters.payments.recording_refunds import RecordingRefundGateway
from fusionx.adapters.rate_limits.limits_limiter import LimitsRateLimiter
from fusionx.core.model.tickets import DEFAULT_RECALL_WINDOW
from fusionx.core.use_cases.commands.dispatch_notifications import DispatchNotifications
from fusionx.core.use_cases.commands.fire_due_tickets import FireDueTickets
from fusionx.core.use_cases.commands.plan_notifications import PlanNotifications
from fusionx.core.use_cases.commands.sweep_stale_devices import SweepStaleDevices
from fusionx.core.use_cases.queries.list_truck_devices import DEFAULT_STALE_AFTER
from fusionx.entrypoints.background import PeriodicTask
from fusionx.entrypoints.notification_dispatcher import BackgroundDispatcher
from fusionx.entrypoints.notification_settings import NotificationSettings
from fusionx.entrypoints.rate_limit_settings import MEMORY, RateLimitSettings
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.shutdown import Drain
from fusionx.ports.clock import Clock
from fusionx.ports.event_bus import EventBus
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.idempotency import IdempotencyStore
from fusionx.ports.password_hasher import PasswordHasher
from fusionx.ports.payment_notifications import PaymentNotificationVerifier
from fusionx.ports.push_sender import PushSender
from fusionx.ports.rate_limiter import RateLimiter
from fusionx.ports.readiness import ReadinessProbe
from fusionx.ports.refund_gateway import RefundGateway
from fusionx.ports.sms_callbacks import SmsCallbackVerifier
from fusionx.ports.sms_sender import SmsSender
from fusionx.ports.unit_of_work import UnitOfWorkFactory

Hook = Callable[[], Awaitable[None]]
# How many notifications wait in the outbox, and the oldest one's age (for /metrics).
OutboxBacklog = Callable[[datetime], Awaitable[tuple[int, float]]]
# How often each worker looks for held tickets whose fire time has come, and for
# idempotency keys past their day.
FIRE_SWEEP_SECONDS = 1.0
PURGE_SECONDS = 600.0


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
    refunds: RefundGateway = field(default_factory=RecordingRefundGateway)
    device_stale_after: timedelta = DEFAULT_STALE_AFTER
    outbox_backlog: OutboxBacklog | None = None
    on_startup: Sequence[Hook] = ()
    on_shutdown: Sequence[Hook] = ()
    # Set when the worker is told to stop (entrypoints/shutdown.py): readiness fails,
    # streams close and background work winds down before the server stops.
    drain: Drain = field(default_factory=Drain)


class _AlwaysReady:
    async def problems(self) -> list[str]:
        return []


def sql_adapters(
    settings: Settings,
    notifications: NotificationSettings | None = None,
    rate_limits: RateLimitSettings | None = None,
) -> Adapters:
    """Production wiring: SQLite or PostgreSQL by URL, argon2id, the system clock, the
    push and SMS providers with the dispatcher that feeds them, and the rate limiter on
    Redis when configured, else on the database."""
    # Imported here so in-memory wiring (unit tests) never loads SQLAlchemy.
    from fusionx.adapters.sql.database import SqlDatabase  # noqa: PLC0415
    from fusionx.entrypoints.notification_providers import providers  # noqa: PLC0415

    url = settings.resolved_database_url
    hub, clock, ids, drain = InProcessEventHub(), SystemClock(), Uuid7Generator(), Drain()
    # Publications are spans when tracing is on; the listener feeds the hub itself.
    bus: EventBus = TracedEventBus(hub) if tracing_on() else hub
    database = SqlDatabase(url, bus=bus, reaction=PlanNotifications(ids))
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
    tasks = [fire_sweep, purge, stale_sweep, *([purge_windows] if purge_windows else [])]
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
        ),
        poll_seconds=notifications.notify_poll_seconds,
    )
    on_startup.append(dispatcher.start)
    # Also where a worker is stopped without a drain: the batch in hand is finished first.
    on_shutdown[:0] = [dispatcher.drain, close_providers]
    for stop in (*(task.stop for task in tasks), dispatcher.drain):
        drain.on_drain(stop)
    return Adapters(
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
        refunds=RecordingRefundGateway(),
        idempotency=idempotency,
        public_rate_limiter=public_limiter,
        device_stale_after=stale_after,
        outbox_backlog=database.outbox_backlog,
        on_startup=tuple(on_startup),
        on_shutdown=tuple(on_shutdown),
        drain=drain,
    )


def in_memory_adapters(
    clock: ManualClock | None = None,
    *,
    payment_webhook_secret: str | None = None,
    public_rate_limit: str = "100000/minute",
) -> Adapters:
    """Fast, deterministic wiring for tests: nothing leaves the process.

    Every test client calls from one address: the public rate limit is set out of reach
    unless a test names one (``public_rate_limit``) to test it.
    """
    hub, clock = InProcessEventHub(), clock or ManualClock()
    ids = SequentialIdGenerator()
    units = InMemoryUnitOfWorkFactory(bus=hub, reaction=PlanNotifications(ids))
    drain = Drain()
    return Adapters(
        uow=units,
        reader=units.reader,
        bus=hub,
        clock=clock,
        ids=ids,
        payment_notifications=HmacPaymentNotificationVerifier(payment_webhook_secret, clock),
        hasher=InMemoryPasswordHasher(),
        readiness=drain.guard(_AlwaysReady()),
        idempotency=InMemoryIdempotencyStore(units),
        public_rate_limiter=LimitsRateLimiter.in_memory(public_rate_limit),
        drain=drain,
    )
