"""Settings: one Struct, read from ``FUSIONX_*`` environment variables.

Secrets may instead come from a file named by ``FUSIONX_<NAME>_FILE`` (for Docker and
Kubernetes secrets). A bad value stops start-up with ``SettingsError``: one line naming
the variable, echoing the value (unless secret) and saying what is allowed
(``environment``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated

import msgspec

from fusionx.entrypoints.environment import (
    SettingsError,
    bad_value,
    env_name,
    from_environment,
    variable_of,
)

__all__ = ["LogFormat", "LogLevel", "Settings", "SettingsError", "env_name", "load_settings"]

IPNetwork = IPv4Network | IPv6Network
# Fields that may hold credentials: readable from *_FILE and never logged.
SECRET_FIELDS = frozenset(
    {"database_url", "listener_database_url", "payment_webhook_secret", "tracking_secret"}
)


class LogFormat(enum.StrEnum):
    AUTO = "auto"  # readable console on a terminal, JSON lines otherwise
    JSON = "json"
    CONSOLE = "console"


class LogLevel(enum.StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    data_dir: str = "data"
    database_url: str | None = None
    # PostgreSQL straight, not through a transaction pooler, which cannot carry LISTEN:
    # for the event listener. Unset: database_url.
    listener_database_url: str | None = None
    # Each worker's PostgreSQL pool: this many connections kept, as many more under load;
    # a request that waits longer than the timeout for one is answered 503 (Retry-After).
    # Workers x instances x 2 x size must fit the server's (or the pooler's) connections.
    database_pool_size: Annotated[int, msgspec.Meta(ge=1, le=200)] = 10
    database_pool_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=120)] = 10.0
    log_level: LogLevel = LogLevel.INFO
    log_format: LogFormat = LogFormat.AUTO
    session_ttl_hours: Annotated[int, msgspec.Meta(ge=1, le=24 * 30)] = 12
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 1024 * 1024
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    workers: Annotated[int, msgspec.Meta(ge=1, le=64)] = 1
    demo_data: bool = False
    # How long after completing a ticket the kitchen may recall it to ready.
    recall_window_minutes: Annotated[int, msgspec.Meta(ge=0, le=24 * 60)] = 10
    # A device silent for longer is stale: shown so, and a device.stale event.
    device_stale_seconds: Annotated[int, msgspec.Meta(ge=10, le=3600)] = 90
    # Comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For
    # we believe; without it every client behind a proxy shares one throttle bucket.
    trusted_proxies: str = ""
    # Shared with the payment gateway to sign its notifications; none: they are refused.
    payment_webhook_secret: Annotated[str, msgspec.Meta(min_length=16)] | None = None
    payment_webhook_tolerance_seconds: Annotated[int, msgspec.Meta(ge=1, le=3600)] = 300
    # The browsable API page at /schema; unset: on for the embedded database (a laptop),
    # off for a database server (production). The JSON documents are always served.
    api_docs: bool | None = None
    # Where clients reach the service; https:// means it is served over TLS (HSTS).
    public_url: str | None = None
    # The key orders' tracking tokens are made with: the same for every worker and
    # instance, or links in customers' messages may be wrong; unset: one per process.
    tracking_secret: Annotated[str, msgspec.Meta(min_length=32)] | None = None
    # A customer who opted in is told a new ready time once it slipped by more than this.
    late_margin_minutes: Annotated[int, msgspec.Meta(ge=1, le=240)] = 10
    # The event stream: open streams per credential in each worker, and the largest
    # message a client may send (its auth message and pongs are far smaller).
    stream_connections_per_credential: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 10
    stream_max_message_bytes: Annotated[int, msgspec.Meta(ge=256, le=1024 * 1024)] = 4096
    # On SIGTERM: readiness fails and streams close this long before the server stops
    # taking connections; then requests in hand get this grace to finish.
    shutdown_drain_seconds: Annotated[float, msgspec.Meta(ge=0, le=300)] = 5.0
    shutdown_grace_seconds: Annotated[int, msgspec.Meta(ge=1, le=600)] = 30

    @property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        return tuple(ip_network(p.strip()) for p in self.trusted_proxies.split(",") if p.strip())

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite database in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{Path(self.data_dir).resolve() / 'fusionx.db'}"

    @property
    def api_docs_page(self) -> bool:
        return self.is_embedded if self.api_docs is None else self.api_docs

    @property
    def served_over_tls(self) -> bool:
        return (self.public_url or "").startswith("https://")

    @property
    def is_embedded(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    settings = from_environment(Settings, SECRET_FIELDS, environ)
    _check_database_url(settings.resolved_database_url, variable_of("database_url", environ))
    if settings.listener_database_url is not None:
        variable = variable_of("listener_database_url", environ)
        _check_database_url(settings.listener_database_url, variable, postgres_only=True)
    _check_trusted_proxies(settings)
    _check_public_url(settings)
    return settings


def _check_database_url(url: str, variable: str, *, postgres_only: bool = False) -> None:
    # Imported here: in-memory wiring (unit tests) never loads SQLAlchemy.
    from sqlalchemy.engine import make_url  # noqa: PLC0415
    from sqlalchemy.exc import ArgumentError  # noqa: PLC0415

    allowed = "postgresql+asyncpg://user:password@host/database"
    if not postgres_only:
        allowed += " or sqlite+aiosqlite:///file.db"
    try:
        parsed = make_url(url)
    except (ValueError, ArgumentError):  # the value may hold a password: it is not echoed
        raise bad_value(variable, url, allowed, secret=True) from None
    drivers = (
        ("postgresql+asyncpg",) if postgres_only else ("sqlite+aiosqlite", "postgresql+asyncpg")
    )
    if parsed.drivername not in drivers or (
        parsed.drivername.startswith("sqlite") and not parsed.database
    ):
        shown = parsed.render_as_string(hide_password=True)
        raise bad_value(variable, shown, allowed)


def _check_trusted_proxies(settings: Settings) -> None:
    try:
        settings.trusted_proxy_networks  # noqa: B018 - parsing is the check
    except ValueError:
        raise bad_value(
            env_name("trusted_proxies"),
            settings.trusted_proxies,
            "comma-separated IP addresses or CIDR ranges, e.g. 10.0.0.0/8,192.168.1.1",
        ) from None


def _check_public_url(settings: Settings) -> None:
    url = settings.public_url
    if url is not None and not re.fullmatch(r"https?://[^/\s]+(/\S*)?", url):
        raise bad_value(
            env_name("public_url"), url, "an http:// or https:// URL, e.g. https://api.example.com"
        )
