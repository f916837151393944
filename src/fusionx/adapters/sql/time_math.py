"""Time arithmetic in SQL, spelled for each database: PostgreSQL has intervals and
``extract(epoch …)``; SQLite keeps times as ISO text and has ``julianday``/``strftime``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, cast, func


def seconds_between(dialect: str, start: Any, end: Any) -> ColumnElement[float]:
    """``end - start`` in seconds, to the millisecond on both databases (SQLite's
    julian days carry milliseconds, and a little floating-point noise, rounded off)."""
    if dialect == "postgresql":
        return cast(func.round(func.extract("epoch", end - start), 3), Float)
    return func.round((func.julianday(end) - func.julianday(start)) * 86400.0, 3)


def epoch_bucket(dialect: str, at: Any, seconds: int) -> ColumnElement[int]:
    """Which ``seconds``-long bucket since the Unix epoch ``at`` falls in."""
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", at) / seconds), Integer)
    return cast(cast(func.strftime("%s", at), Integer) / seconds, Integer)
