"""Shared with the HTTP suite: the JSON log lines a test's requests wrote."""

from __future__ import annotations

from tests.http.conftest import log_lines

__all__ = ["log_lines"]
