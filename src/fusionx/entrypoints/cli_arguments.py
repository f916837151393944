"""What every ``fusionx`` command line shares: help that shows defaults, checked numbers,
and passwords that can stay out of shell history."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each option's default, unless it has none or its help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False, [], argparse.SUPPRESS) or "default" in (
            action.help or ""
        ):
            return action.help
        return super()._get_help_string(action)


class Parser(argparse.ArgumentParser):
    """An argument parser whose commands (subparsers are of the same class) show their
    defaults in their help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def int_from(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer of at least ``low`` (and at most ``high``)."""

    def parse(text: str) -> int:
        allowed = f"{low} to {high}" if high is not None else f"at least {low}"
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer ({allowed})") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{value} is out of range ({allowed})")
        return value

    return parse


def password_argument(value: str) -> str:
    """``-`` reads the password from stdin, keeping it out of shell history and ``ps``."""
    return sys.stdin.readline().rstrip("\n") if value == "-" else value
