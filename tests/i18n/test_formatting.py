"""Plurals, money, times and lists come out as each locale writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from babel.messages.catalog import Catalog

from fusionx.adapters.i18n.babel_translator import (
    BabelTranslator,
    compile_catalogue,
    packaged_translator,
)
from fusionx.core.messages import Message, Moment, Money

NOON = datetime(2026, 7, 14, 12, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def translator() -> BabelTranslator:
    return packaged_translator()


@pytest.mark.parametrize(
    ("locale", "count", "text"),
    [
        ("en", 0, "0 items"),
        ("en", 1, "1 item"),
        ("en", 2, "2 items"),
        ("en", 1500, "1,500 items"),
        ("es", 0, "0 artículos"),
        ("es", 1, "1 artículo"),
        ("es", 2, "2 artículos"),
        ("es", 1_000_000, "1.000.000 artículos"),  # Spanish's "many" form
        ("fr", 0, "0 article"),  # French counts zero as singular
        ("fr", 1, "1 article"),
        ("fr", 2, "2 articles"),
        ("fr", 1500, "1\u202f500 articles"),
    ],
)
def test_a_count_picks_the_plural_form_of_the_locale(translator, locale, count, text):
    message = Message("alert.new_order.body", {"count": count})

    assert translator.render(message, locale) == text


@pytest.mark.parametrize(
    ("locale", "cents", "currency", "text"),
    [
        ("en", 123456, "USD", "$1,234.56"),
        ("en", 5, "EUR", "€0.05"),
        ("es", 123456, "EUR", "1.234,56\xa0€"),
        ("es", 1234567, "EUR", "12.345,67\xa0€"),
        ("fr", 123456, "EUR", "1\u202f234,56\xa0€"),
        ("fr", -250, "GBP", "-2,50\xa0£GB"),
        # Payments speak ISO 4217 in lower case (FUSIONX_PAYMENTS_CURRENCY=eur, as Stripe)
        ("en", 450, "eur", "€4.50"),
        ("fr", 450, "eur", "4,50\xa0€"),
    ],
)
def test_money_from_integer_cents_in_the_locale(translator, locale, cents, currency, text):
    message = Message("problem.payment_declined.detail", {"reason": Money(cents, currency)})

    assert translator.render(message, locale).endswith(text)


@pytest.mark.parametrize(
    ("locale", "zone", "text"),
    [
        ("en", "UTC", "12:15\u202fPM UTC"),
        ("en", "America/New_York", "8:15\u202fAM EDT"),
        ("es", "Europe/Madrid", "14:15 CEST"),
        ("fr", "Europe/Paris", "14:15 +0200"),
    ],
)
def test_a_time_is_shown_in_the_recipients_zone_and_locale(translator, locale, zone, text):
    message = Message(
        "capacity.orders_room_at", {"count": 3, "minutes": 10, "at": Moment(NOON, "time")}
    )

    assert translator.render(message, locale, zone=zone).endswith(text)


@pytest.mark.parametrize(
    ("locale", "text"),
    [("en", "Jul 14, 2026"), ("es", "14 jul 2026"), ("fr", "14 juil. 2026")],
)
def test_a_date_and_time_is_written_the_locales_way(translator, locale, text):
    message = Message("order.available_from", {"when": Moment(NOON)})

    assert text in translator.render(message, locale, zone="Europe/Paris")


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "Not enough stock: Horchata (2 left) and Taco (1 left)"),
        ("es", "No hay existencias suficientes: Horchata (quedan 2) y Taco (queda 1)"),
        ("fr", "Stock insuffisant : Horchata (il en reste 2) et Taco (il en reste 1)"),
    ],
)
def test_nested_messages_and_lists_are_rendered_in_the_same_locale(translator, locale, text):
    left = (
        Message("order.item_left", {"item": "Horchata", "count": 2}),
        Message("order.item_left", {"item": "Taco", "count": 1}),
    )

    assert translator.render(Message("order.not_enough_stock", {"items": left}), locale) == text


@pytest.mark.parametrize(
    ("preferred", "chosen"),
    [
        ([], "en"),
        (["de"], "en"),
        (["es"], "es"),
        (["es-MX", "en"], "es"),
        (["FR-ca"], "fr"),
        (["de-DE", "fr", "es"], "fr"),
        (["fr_FR"], "fr"),
    ],
)
def test_the_best_supported_locale_is_chosen_else_english(translator, preferred, chosen):
    assert translator.choose(preferred) == chosen


def test_a_key_a_catalogue_lacks_falls_back_to_english_never_to_the_key():
    english, spanish = Catalog(locale="en"), Catalog(locale="es")
    english.add("greeting", "Hello {name}")
    english.add("farewell", "Bye")
    spanish.add("greeting", "Hola {name}")
    translator = BabelTranslator(
        {"en": compile_catalogue(english), "es": compile_catalogue(spanish)}
    )

    assert translator.render(Message("greeting", {"name": "Ana"}), "es") == "Hola Ana"
    assert translator.render(Message("farewell"), "es") == "Bye"
    assert translator.render(Message("greeting", {"name": "Ana"}), "xx") == "Hello Ana"


def test_a_placeholder_without_a_value_shows_as_itself_rather_than_failing(translator):
    assert translator.render(Message("input.range", {"low": 1}), "en") == "must be 1 to {high}"
