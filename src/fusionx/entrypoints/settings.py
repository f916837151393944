"""Settings: one Struct, read from ``FUSIONX_*`` environment variables.

Secrets may instead come from a file named by ``FUSIONX_<NAME>_FILE`` (for Docker and
Kubernetes secrets). A bad value stops start-up with ``SettingsError``: one line naming
the variable and what is wrong with it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, TypeVar

import msgspec

IPNetwork = IPv4Network | IPv6Network
S = TypeVar("S", bound=msgspec.Struct)
PREFIX = "FUSIONX_"
# Fields that may hold credentials: readable from *_FILE and never logged.
SECRET_FIELDS = frozenset({"database_url", "payment_webhook_secret"})


class LogFormat(enum.StrEnum):
    AUTO = "auto"  # readable console on a terminal, JSON lines otherwise
    JSON = "json"
    CONSOLE = "console"


class SettingsError(Exception):
    """A setting is missing or wrong. ``str(error)`` is the one line to show."""


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    data_dir: str = "data"
    database_url: str | None = None
    log_level: Annotated[str, msgspec.Meta(pattern="^(DEBUG|INFO|WARNING|ERROR)$")] = "INFO"
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
    def is_embedded(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    settings = from_environment(Settings, SECRET_FIELDS, environ)
    _check_database_url(settings)
    _check_trusted_proxies(settings)
    return settings


def from_environment(
    kind: type[S], secrets: frozenset[str], environ: Mapping[str, str] | None = None
) -> S:
    """A settings Struct from ``FUSIONX_<FIELD>`` variables (``_FILE`` for ``secrets``)."""
    environ = os.environ if environ is None else environ
    raw: dict[str, str] = {}
    for field in msgspec.structs.fields(kind):
        name = env_name(field.name)
        if field.name in secrets and name + "_FILE" in environ:
            raw[field.name] = _read_secret_file(name + "_FILE", environ[name + "_FILE"])
        elif name in environ:
            raw[field.name] = environ[name]
    try:
        return msgspec.convert(raw, kind, strict=False)
    except msgspec.ValidationError as error:
        raise SettingsError(_describe(error)) from None


def _read_secret_file(variable: str, path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise SettingsError(f"{variable}: cannot read {path}: {error.strerror}") from None


def _describe(error: msgspec.ValidationError) -> str:
    message = str(error)
    message, _, where = message.partition(" - at `$.")
    field = where.rstrip("`")
    return f"{env_name(field)}: {message}" if field else f"settings: {message}"


def _check_database_url(settings: Settings) -> None:
    url = settings.resolved_database_url
    if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        scheme = url.split("://", 1)[0]
        raise SettingsError(
            f"{env_name('database_url')}: unsupported scheme {scheme!r}; "
            "use postgresql+asyncpg://… or sqlite+aiosqlite:///…"
        )


def _check_trusted_proxies(settings: Settings) -> None:
    try:
        settings.trusted_proxy_networks  # noqa: B018 - parsing is the check
    except ValueError as error:
        raise SettingsError(f"{env_name('trusted_proxies')}: {error}") from None
