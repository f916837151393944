"""Shared with the HTTP suite: the JSON log lines a test's requests wrote."""

from __future__ import annotations

from tests.http.conftest import log_lines, restore_logging

__all__ = ["log_lines", "restore_logging"]
