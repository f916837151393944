"""What a command makes sure of before it does anything: a port of its own for ``serve``,
and a database that answers at the schema this code expects.

Each failure is a ``StartupError`` whose text is the one line the CLI shows. The
embedded SQLite database belongs to FusionX, so it is migrated instead of refused;
any other database is migrated only by ``fusionx db upgrade``.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from fusionx.entrypoints import (
    email_settings,
    job_settings,
    notification_settings,
    observability_settings,
    payment_settings,
    rate_limit_settings,
    settings,
    webhook_settings,
)
from fusionx.entrypoints.environment import known_variables, unknown_variables
from fusionx.entrypoints.settings import Settings

if TYPE_CHECKING:
    from fusionx.adapters.sql.database import SchemaProblem


class StartupError(Exception):
    """The command cannot start. ``str(error)`` is the one line to show."""


def setting_warnings(environ: Mapping[str, str]) -> list[str]:
    """A line for each ``FUSIONX_*`` variable no setting reads, naming the closest one.

    A warning rather than an error: a typo must not pass unseen, but a variable meant
    for another release of FusionX (or for its tests) must not stop a start either.
    """
    return unknown_variables(environ, known_setting_variables())


def known_setting_variables() -> frozenset[str]:
    """Every ``FUSIONX_*`` variable some setting reads (``_FILE`` ones included)."""
    return (
        known_variables(Settings, settings.SECRET_FIELDS)
        | known_variables(
            notification_settings.NotificationSettings, notification_settings.SECRET_FIELDS
        )
        | known_variables(
            observability_settings.ObservabilitySettings, observability_settings.SECRET_FIELDS
        )
        | known_variables(email_settings.EmailSettings, email_settings.SECRET_FIELDS)
        | known_variables(payment_settings.PaymentSettings, payment_settings.SECRET_FIELDS)
        | known_variables(rate_limit_settings.RateLimitSettings, rate_limit_settings.SECRET_FIELDS)
        | known_variables(job_settings.JobSettings, job_settings.SECRET_FIELDS)
        | known_variables(webhook_settings.WebhookSettings, webhook_settings.SECRET_FIELDS)
    )


def check_payment_gateway(settings: Settings, payments: payment_settings.PaymentSettings) -> None:
    """Online payments on a production database need a real gateway to refund them.

    Online payments are on when the gateway's notifications are (a webhook secret);
    without an API key their refunds would go to the recording gateway and no money
    would move. The embedded database (a laptop, the demo) may use it.
    """
    if settings.payment_webhook_secret and not settings.is_embedded and not payments.configured:
        raise StartupError(
            "online payments are on (FUSIONX_PAYMENT_WEBHOOK_SECRET) but no payment gateway "
            "is configured: set FUSIONX_PAYMENTS_API_KEY (and FUSIONX_PAYMENTS_API_URL "
            "for a gateway other than Stripe)"
        )


def claim_address(host: str, port: int) -> str:
    """The IP address to serve on for ``host``, once nothing else listens on ``port`` there.

    granian binds each worker's socket with SO_REUSEPORT, which lets a second server
    share the port with a first one and split its requests. This probe binds without
    it (but with SO_REUSEADDR, so a closed server's lingering connections do not count),
    which Linux refuses while any socket listens on the port.
    """
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise StartupError(f"cannot listen on {host!r}: {reason}") from None
    family, kind, _, _, address = found[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise StartupError(
                    f"port {port} on {address[0]} is already in use: stop the server on it "
                    "or choose another port (--port or FUSIONX_PORT)"
                ) from None
            raise StartupError(
                f"cannot listen on port {port} of {address[0]}: {error.strerror}"
            ) from None
    return str(address[0])


def ready_database(
    settings: Settings, migrate: Callable[[Settings], None], *, upgrade: bool = False
) -> None:
    """Return once the database is at the head revision, or raise ``StartupError``.

    ``migrate`` brings an empty or older schema to head: always for the embedded
    database, and for any database when ``upgrade`` is set (``fusionx db upgrade``).
    An unreachable database, or one migrated by a newer release, is never touched.
    """
    problem = asyncio.run(_schema_problem(settings))
    if problem is None:
        return
    if problem.upgradable and (upgrade or settings.is_embedded):
        migrate(settings)
        return
    raise StartupError(problem.message)


async def _schema_problem(settings: Settings) -> SchemaProblem | None:
    # Imported here: commands that never touch the database load no SQLAlchemy.
    from fusionx.adapters.sql.database import SqlDatabase  # noqa: PLC0415

    try:
        database = SqlDatabase(settings.resolved_database_url)
    except OSError as error:  # the embedded database's directory cannot be made
        raise StartupError(
            f"cannot create the database directory {error.filename}: {error.strerror}"
        ) from None
    try:
        return await database.schema_problem()
    finally:
        await database.dispose()
