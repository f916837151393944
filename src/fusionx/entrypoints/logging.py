"""Structured logging: one pipeline for structlog and the standard library.

JSON lines when the stream is not a terminal (or ``FUSIONX_LOG_FORMAT=json``), a readable
console otherwise. Records from the standard library (granian, uvicorn, SQLAlchemy,
Litestar) go through the same processors, so every line carries the request id bound in
``structlog.contextvars`` and has its secrets redacted before it is rendered.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import structlog
from opentelemetry import trace
from structlog.types import EventDict, Processor, WrappedLogger

from fusionx.entrypoints.settings import LogFormat, Settings
from fusionx.entrypoints.text_safety import escape_values

REDACTED = "[redacted]"
_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?|token|secret|authori[sz]ation|credential|cookie|api[_-]?key"
    r"|private[_-]?key|database_url|dsn",
    re.IGNORECASE,
)
# Our secrets, should one end up inside a message or a path anyway: every token we issue
# is ``fx`` + a letter + ``_`` (sessions fxs_, devices fxd_, customers fxc_, email links
# fxe_, tracking links fxt_, which are in the path of the tracking routes and page).
_SECRET_VALUE = re.compile(r"\bfx[a-z]_[A-Za-z0-9_-]{16,}")
# Structural keys the renderers need as they are.
_UNTOUCHED = frozenset({"exc_info", "stack_info", "_record", "_from_structlog"})
# Loggers that install their own handlers; theirs would print the same line twice.
_FOREIGN_LOGGERS = (
    "_granian",
    "granian.access",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "sqlalchemy",
    "litestar",
)


def redact_secrets(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Replace values of secret-looking keys, at any depth, and bearer secrets in text."""
    return {key: _redact(key, value) for key, value in event_dict.items()}


def _redact(key: object, value: Any) -> Any:
    if key in _UNTOUCHED:
        return value
    if isinstance(key, str) and key != "event" and _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, Mapping):
        return {k: _redact(k, v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact(None, item) for item in value]
    if isinstance(value, str):
        return _SECRET_VALUE.sub(REDACTED, value)
    return value


def escape_text(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Control characters in values as visible escapes, for the console: a name holding
    a newline or an ANSI escape cannot forge a line there. (JSON lines escape them.)"""
    return {
        key: value if key in _UNTOUCHED else escape_values(value)
        for key, value in event_dict.items()
    }


def add_trace_ids(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """The trace and span of the line's OpenTelemetry span, when one is recording."""
    if "trace_id" not in event_dict:
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            event_dict["trace_id"] = format(context.trace_id, "032x")
            event_dict["span_id"] = format(context.span_id, "016x")
    return event_dict


def granian_log_config(settings: Settings) -> dict[str, Any]:
    """granian's ``log_dictconfig``: its own lines (start-up, workers, access) go to the
    root logger, which ``configure_logging`` set up, so they are rendered like ours."""
    level = settings.log_level.value
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {},
        "handlers": {},
        "loggers": {
            "_granian": {"handlers": [], "level": level, "propagate": True},
            "granian.access": {"handlers": [], "level": level, "propagate": True},
        },
    }


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Send structlog and stdlib logging to ``stream`` (stderr) at ``settings.log_level``."""
    stream = stream or sys.stderr
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_trace_ids,
        redact_secrets,
    ]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.stdlib.PositionalArgumentsFormatter(),  # before redaction sees the text
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Not cached: loggers made before this call (at import, in tests) must follow it.
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                *_renderer(settings.log_format, stream),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    # Python's warnings too, instead of their plain lines on stderr.
    logging.captureWarnings(capture=True)
    root.setLevel(settings.log_level)
    for name in _FOREIGN_LOGGERS:
        foreign = logging.getLogger(name)
        foreign.handlers.clear()
        foreign.propagate = True
    # Alembic narrates every migration at INFO (its context, each step); the CLI says
    # the outcome in one line.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))


def _renderer(log_format: LogFormat, stream: TextIO) -> list[Processor]:
    if log_format is LogFormat.JSON or (log_format is LogFormat.AUTO and not stream.isatty()):
        return [
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(default=str),
        ]
    # Plain tracebacks, rich or not (entrypoints/__init__.py keeps rich out of a server).
    console = structlog.dev.ConsoleRenderer(
        colors=stream.isatty(), exception_formatter=structlog.dev.plain_traceback
    )
    return [escape_text, console]
