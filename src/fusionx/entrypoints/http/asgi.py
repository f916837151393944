"""The production entry point, for granian::

granian --interface asgi --factory fusionx.entrypoints.http.asgi:app_from_environment
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from litestar import Litestar

from fusionx.entrypoints.allocator import return_big_blocks_to_the_os
from fusionx.entrypoints.bootstrap import sql_adapters
from fusionx.entrypoints.email_settings import load_email_settings
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.schemas.stream import public_data
from fusionx.entrypoints.job_settings import load_job_settings
from fusionx.entrypoints.logging import configure_logging
from fusionx.entrypoints.notification_settings import load_notification_settings
from fusionx.entrypoints.observability_settings import (
    ObservabilitySettings,
    load_observability_settings,
    tracing_wanted,
)
from fusionx.entrypoints.payment_settings import load_payment_settings
from fusionx.entrypoints.rate_limit_settings import load_rate_limit_settings
from fusionx.entrypoints.settings import SettingsError, load_settings
from fusionx.entrypoints.shutdown import ignore_drain_signal_until_listening
from fusionx.entrypoints.webhook_settings import load_webhook_settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


def app_from_environment() -> Litestar:
    """Settings from ``FUSIONX_*`` variables, SQL and provider adapters, logging, the app."""
    ignore_drain_signal_until_listening()
    # Before the password hasher allocates: each login would otherwise leave 19 MiB behind.
    return_big_blocks_to_the_os()
    try:
        settings = load_settings()
        observability = load_observability_settings()
        # Before the adapters: the engine and the bus are traced once tracing is on.
        tracer_provider = _tracing(observability)
        adapters = sql_adapters(
            settings,
            load_notification_settings(),
            load_email_settings(),
            load_payment_settings(),
            load_rate_limit_settings(),
            jobs=load_job_settings(),
            webhooks=load_webhook_settings(),
            payloads=public_data,
        )
    except SettingsError as error:
        sys.exit(f"fusionx: {error}")
    configure_logging(settings)
    app = create_app(settings, adapters, observability, tracer_provider)
    # What start-up built (modules, mappers, routes, schemas) lives as long as the worker.
    # Frozen, the collector no longer walks all of it in every full collection, which
    # the churn of requests sets off again and again (docs/benchmarks.md).
    gc.freeze()
    return app


def _tracing(settings: ObservabilitySettings) -> TracerProvider | None:
    if not tracing_wanted(settings):
        return None  # and the OpenTelemetry SDK is never loaded
    from fusionx.entrypoints.tracing import configure_tracing  # noqa: PLC0415

    return configure_tracing(settings)
