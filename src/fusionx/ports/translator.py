from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from fusionx.core.messages import Message


class Translator(Protocol):
    """Renders the core's messages for people, in one of the supported locales.

    ``locales`` are the supported locale codes (``en``, ``es``…), the default (English)
    first. ``choose`` picks the best of ``preferred`` (a staff member's choice, then the
    client's languages, best first), else the default. ``render`` writes ``message`` in
    ``locale`` with times in the IANA ``zone``; it never fails: an unknown locale is
    the default, and a key a catalogue lacks is rendered from the default catalogue.
    """

    @property
    def locales(self) -> tuple[str, ...]: ...

    def choose(self, preferred: Sequence[str]) -> str: ...

    def render(self, message: Message, locale: str, *, zone: str = "UTC") -> str: ...
