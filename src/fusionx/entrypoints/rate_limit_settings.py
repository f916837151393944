"""Settings of the rate limit on public routes, read like ``Settings``.

The limit is in the ``limits`` notation (``60/minute``, ``10 per second``). Counts are
kept in Redis when ``FUSIONX_RATE_LIMIT_STORAGE_URL`` names one (``async+redis://…``),
otherwise in the database, which every worker and instance shares too; ``memory://``
keeps them in each worker alone (a demo, one worker).
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from fusionx.adapters.rate_limits.notation import parse_rate
from fusionx.entrypoints.environment import bad_value, env_name, from_environment, variable_of

# The URL may carry the Redis password: readable from *_FILE and never echoed.
SECRET_FIELDS = frozenset({"rate_limit_storage_url"})
MEMORY = "memory://"
_REDIS_SCHEMES = ("async+redis://", "async+rediss://", "async+redis+unix://")


class RateLimitSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    # Requests per client address to each route marked public-rate-limited.
    public_rate_limit: str = "60/minute"
    # async+redis://host:6379/0, or memory://; unset: the database.
    rate_limit_storage_url: str | None = None


def load_rate_limit_settings(environ: Mapping[str, str] | None = None) -> RateLimitSettings:
    settings = from_environment(RateLimitSettings, SECRET_FIELDS, environ)
    try:
        parse_rate(settings.public_rate_limit)
    except ValueError:
        raise bad_value(
            env_name("public_rate_limit"),
            settings.public_rate_limit,
            "a count per period, e.g. 60/minute or 10 per second",
        ) from None
    url = settings.rate_limit_storage_url
    if url is not None and url != MEMORY and not url.startswith(_REDIS_SCHEMES):
        raise bad_value(
            variable_of("rate_limit_storage_url", environ),
            url,
            "async+redis://host:6379/0 (or async+rediss://, or memory://)",
            secret=True,
        )
    return settings
