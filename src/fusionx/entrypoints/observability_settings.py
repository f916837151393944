"""Settings of ``/metrics`` and of tracing, read like ``Settings`` from ``FUSIONX_*``.

Tracing is off unless an OTLP endpoint is given: ``FUSIONX_OTEL_ENDPOINT``, or the
standard ``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``
(whose companions, such as ``OTEL_EXPORTER_OTLP_HEADERS``, the exporter also reads).
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Mapping
from typing import Annotated

import msgspec

from fusionx.entrypoints.environment import bad_value, env_name, from_environment

SECRET_FIELDS = frozenset({"metrics_token"})
STANDARD_ENDPOINTS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")


class OtlpProtocol(enum.StrEnum):
    HTTP = "http"  # OTLP/HTTP with protobuf bodies (port 4318)
    GRPC = "grpc"  # OTLP/gRPC (port 4317)


class ObservabilitySettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    # /metrics in Prometheus text format; off: the route does not exist.
    metrics: bool = True
    # A bearer token for Prometheus; owners and admins may scrape with their own.
    metrics_token: Annotated[str, msgspec.Meta(min_length=16)] | None = None
    # Where `fusionx serve`'s workers keep their figures (emptied at start);
    # none: a directory of its own in the system's temporary directory.
    metrics_dir: str | None = None
    # OTLP collector to send spans to; none (and no OTEL_EXPORTER_OTLP_*): no tracing.
    otel_endpoint: str | None = None
    otel_protocol: OtlpProtocol = OtlpProtocol.HTTP
    otel_service_name: str = "fusionx"
    # Share of requests traced (parent-based: a caller's sampled trace is kept).
    otel_sample_ratio: Annotated[float, msgspec.Meta(ge=0, le=1)] = 1.0


def load_observability_settings(
    environ: Mapping[str, str] | None = None,
) -> ObservabilitySettings:
    settings = from_environment(ObservabilitySettings, SECRET_FIELDS, environ)
    endpoint = settings.otel_endpoint
    if endpoint is not None and not re.fullmatch(r"https?://[^/\s]+/?", endpoint):
        allowed = "the collector's base URL, e.g. http://otel-collector:4318 (gRPC: :4317)"
        raise bad_value(env_name("otel_endpoint"), endpoint, allowed)
    return settings


def tracing_wanted(
    settings: ObservabilitySettings, environ: Mapping[str, str] | None = None
) -> bool:
    """Whether spans go anywhere: an endpoint of ours or a standard OTLP one is set."""
    environ = os.environ if environ is None else environ
    return bool(settings.otel_endpoint) or any(environ.get(name) for name in STANDARD_ENDPOINTS)
