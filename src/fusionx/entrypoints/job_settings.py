"""Settings of the scheduled work (docs/operations.md, "Scheduled work"), read like
``Settings``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Annotated

import msgspec

from fusionx.adapters.jobs.schedule import cron
from fusionx.entrypoints.environment import bad_value, env_name, from_environment

SECRET_FIELDS: frozenset[str] = frozenset()


class JobSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    # Where the sweeps and the weekly summaries run. Unset: in each serving process on
    # the embedded database; on PostgreSQL in `fusionx worker` only (the job queue).
    # true: in each serving process whatever the database (one small instance without a
    # worker); false: never there.
    jobs_in_process: bool | None = None
    # The currency the weekly summary writes amounts in (ISO 4217).
    summary_currency: str = "EUR"
    # How often due weekly summaries are looked for: a divisor of a minute in seconds,
    # or of an hour in minutes (a cron line says it).
    summary_check_seconds: Annotated[int, msgspec.Meta(ge=1, le=3600)] = 300


def load_job_settings(environ: Mapping[str, str] | None = None) -> JobSettings:
    settings = from_environment(JobSettings, SECRET_FIELDS, environ)
    if not re.fullmatch(r"[A-Z]{3}", settings.summary_currency):
        raise bad_value(
            env_name("summary_currency"),
            settings.summary_currency,
            "an ISO 4217 currency code in capitals, e.g. EUR",
        )
    try:
        cron(timedelta(seconds=settings.summary_check_seconds))
    except ValueError:
        raise bad_value(
            env_name("summary_check_seconds"),
            str(settings.summary_check_seconds),
            "a divisor of 60 seconds, or a divisor of 60 minutes in seconds (e.g. 300)",
        ) from None
    return settings
