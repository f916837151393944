"""Text for people, as keys with parameters: the core never writes a sentence.

A ``Message`` names an entry of the message catalogues (``adapters/i18n/locales``) and
the values its placeholders take; a ``Translator`` (``ports/translator.py``) renders it in
a locale at the edge. Parameters are plain strings and integers, ``Money`` and
``Moment`` (formatted in the locale), another ``Message`` (rendered in the same locale) or
a tuple of messages (rendered as the locale's list, "a, b and c"). An integer named
``count`` also chooses the plural form of a message that has them. Keys are literal
strings at the call site, so a test finds every key the code uses and checks that each
catalogue has it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

import msgspec


class Money(msgspec.Struct, frozen=True):
    """An amount in integer cents of ``currency`` (ISO 4217), formatted per locale."""

    cents: int
    currency: str


class Moment(msgspec.Struct, frozen=True):
    """A point in time, formatted per locale in the recipient's time zone; ``style`` is
    ``time`` (hours and minutes), ``datetime`` (date and time) or ``date`` (the day)."""

    at: datetime
    style: str = "datetime"


class Message(msgspec.Struct, frozen=True):
    """A catalogue key (dotted, ``area.what``) and the values of its ``{placeholders}``."""

    key: str
    params: dict[str, Param] = {}

    def __str__(self) -> str:
        """For logs and tracebacks only: people get it through a translator."""
        if not self.params:
            return self.key
        shown = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return f"{self.key} ({shown})"


Param: TypeAlias = "str | int | Money | Moment | Message | tuple[Message, ...]"
