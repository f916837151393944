"""The catalogues in ``locales/<locale>/LC_MESSAGES/fusionx.po``, rendered with Babel.

Each catalogue is read with Babel's ``read_po`` and compiled in memory at start-up (no
``.mo`` file is built or committed); gettext's ``GNUTranslations`` then picks plural
forms by the catalogue's ``Plural-Forms``. A catalogue's ``msgid`` is the message key, its
``msgstr`` the text with ``{placeholders}``; English is the source every other locale
falls back to.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale, negotiate_locale
from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

from fusionx.core.messages import Message, Moment, Money, Param

DOMAIN = "fusionx"
DEFAULT_LOCALE = "en"
SUPPORTED_LOCALES = ("en", "es", "fr")


@dataclass(frozen=True)
class Book:
    """One locale's catalogue, compiled; ``plural`` names its keys with plural forms."""

    locale: Locale
    translations: gettext.GNUTranslations
    plural: frozenset[str]


class BabelTranslator:
    """A ``Translator`` over compiled catalogues: lookups and formatting, no I/O."""

    def __init__(self, books: Mapping[str, Book]) -> None:
        self._books = dict(books)
        self._default = self._books[DEFAULT_LOCALE]
        for code, book in self._books.items():
            if code != DEFAULT_LOCALE:
                book.translations.add_fallback(self._default.translations)

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self._books)

    def choose(self, preferred: Sequence[str]) -> str:
        wanted = [code.replace("_", "-") for code in preferred if code]
        found = negotiate_locale(wanted, list(self._books), sep="-")
        if found is None:
            return DEFAULT_LOCALE
        found = found.lower()
        return found if found in self._books else found.split("-")[0]

    def render(self, message: Message, locale: str, *, zone: str = "UTC") -> str:
        book = self._books.get(locale, self._default)
        count = message.params.get("count")
        if message.key in book.plural and isinstance(count, int):
            text = book.translations.ngettext(message.key, message.key, count)
        else:
            text = book.translations.gettext(message.key)
        values = {name: self._value(value, book, zone) for name, value in message.params.items()}
        return text.format_map(_Values(values))

    def _value(self, value: Param, book: Book, zone: str) -> str:
        locale = book.locale
        match value:
            case Message():
                return self.render(value, str(locale), zone=zone)
            case tuple():
                items = [self.render(item, str(locale), zone=zone) for item in value]
                return format_list(items, locale=locale)
            case Money(cents=cents, currency=currency):
                # Babel knows the upper-case code; payments use lower case ("eur").
                return format_currency(Decimal(cents) / 100, currency.upper(), locale=locale)
            case Moment(at=at, style=style):
                return _moment(at.astimezone(ZoneInfo(zone)), style, locale)
            case int():
                return format_decimal(value, locale=locale)
            case _:
                return value


class _Values(dict[str, str]):
    """A placeholder the text names but the message lacks shows as itself, not a crash."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def _moment(at: object, style: str, locale: Locale) -> str:
    """Hours and minutes (``time``) or date and time, with the zone's short name; or the
    day alone (``date``), written out."""
    if style == "date":
        return format_date(at, "long", locale=locale)  # type: ignore[arg-type]
    if style == "time":
        pattern = f"{locale.time_formats['short'].pattern} z"
        return format_time(at, pattern, locale=locale)  # type: ignore[arg-type]
    return format_datetime(at, "medium", locale=locale) + format_time(at, " z", locale=locale)  # type: ignore[arg-type]


def read_catalogue(code: str) -> Catalog:
    """The ``.po`` catalogue of locale ``code``, as Babel reads it."""
    path = resources.files(__package__).joinpath("locales", code, "LC_MESSAGES", f"{DOMAIN}.po")
    with path.open("rb") as po:
        return read_po(po, locale=code, domain=DOMAIN)


def compile_catalogue(catalogue: Catalog) -> Book:
    """Compile ``catalogue`` in memory for gettext's lookups and plural rules."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    plural = frozenset(m.id[0] for m in catalogue if m.id and isinstance(m.id, tuple))
    return Book(
        locale=Locale.parse(str(catalogue.locale)),
        translations=gettext.GNUTranslations(compiled),
        plural=plural,
    )


@functools.cache
def packaged_translator() -> BabelTranslator:
    """The translator over the catalogues shipped in the package, read once per process."""
    return BabelTranslator(
        {code: compile_catalogue(read_catalogue(code)) for code in SUPPORTED_LOCALES}
    )
