"""Every catalogue has every key the code uses, no key the code has dropped, and each
translation takes exactly the placeholders of its English text, in every plural form."""

from __future__ import annotations

import string

import pytest
from babel.messages.catalog import Catalog

from fusionx.adapters.i18n.babel_translator import (
    DEFAULT_LOCALE,
    SUPPORTED_LOCALES,
    read_catalogue,
)
from tests.i18n.keys import used_keys

USED, HIDDEN = used_keys()


def _texts(catalogue: Catalog) -> dict[str, tuple[str, ...]]:
    """Each key with its text, or its plural forms."""
    texts = {}
    for message in catalogue:
        if not message.id:
            continue  # the header
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        texts[key] = tuple(forms)
    return texts


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


CATALOGUES = {code: _texts(read_catalogue(code)) for code in SUPPORTED_LOCALES}
ENGLISH = CATALOGUES[DEFAULT_LOCALE]


def test_the_code_finds_keys_and_writes_each_one_out():
    assert len(USED) > 100  # the scan sees the code (a broken scan would pass the rest)
    assert HIDDEN == [], "a Message key must be a literal (or a literal if/else)"


@pytest.mark.parametrize("code", SUPPORTED_LOCALES)
def test_every_key_the_code_uses_is_translated(code):
    texts = CATALOGUES[code]
    missing = {key: USED[key] for key in USED if not all(texts.get(key, ("",)))}

    assert missing == {}, f"{code}: keys without a translation (and where they are used)"


@pytest.mark.parametrize("code", SUPPORTED_LOCALES)
def test_no_catalogue_keeps_a_key_the_code_no_longer_uses(code):
    assert sorted(set(CATALOGUES[code]) - set(USED)) == []


@pytest.mark.parametrize("code", SUPPORTED_LOCALES)
def test_each_translation_takes_exactly_the_english_placeholders(code):
    wrong = {}
    for key, forms in CATALOGUES[code].items():
        source = set().union(*(_placeholders(text) for text in ENGLISH.get(key, ())))
        for form in forms:
            if _placeholders(form) != source:
                wrong[key] = (sorted(_placeholders(form)), sorted(source))

    assert wrong == {}


@pytest.mark.parametrize("code", SUPPORTED_LOCALES)
def test_plural_messages_have_every_form_of_the_language(code):
    catalogue = read_catalogue(code)
    plural = {key for key, forms in ENGLISH.items() if len(forms) > 1}
    for message in catalogue:
        if message.id and message.id[0] in plural:
            assert isinstance(message.string, tuple)
            assert len(message.string) == catalogue.num_plurals, message.id
    assert plural == {key for key, forms in CATALOGUES[code].items() if len(forms) > 1}
