"""Every account email in every language: what a person typed is escaped in the HTML part
and kept as typed in the plain part, the link is in both, and the subject stays on one
line."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fusionx.adapters.i18n.babel_translator import SUPPORTED_LOCALES, packaged_translator
from fusionx.core.model.emails import EmailMessage
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.steps import account_emails

HOSTILE = '<script>alert("x")</script>\r\nBcc: all@x.io'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
LINK = "https://fleet.example.test/account/x#token=fxe_abc"
TRANSLATOR = packaged_translator()

Compose = Callable[[str, str], EmailMessage]
EMAILS: dict[str, Compose] = {
    "invitation": lambda locale, typed: account_emails.invitation(
        TRANSLATOR,
        locale,
        "a@example.test",
        name=typed,
        inviter=typed,
        role=Role.MANAGER,
        days=7,
        link=LINK,
    ),
    "password_reset": lambda locale, typed: account_emails.password_reset(
        TRANSLATOR, locale, "a@example.test", name=typed, minutes=30, link=LINK
    ),
    "email_change": lambda locale, typed: account_emails.email_change(
        TRANSLATOR, locale, "a@example.test", name=typed, email=typed, hours=24, link=LINK
    ),
}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("kind", sorted(EMAILS))
def test_typed_values_are_escaped_in_html_and_kept_in_text(kind: str, locale: str) -> None:
    message = EMAILS[kind](locale, HOSTILE)

    assert HOSTILE in message.text
    assert "<script>" not in message.html
    assert ESCAPED in message.html
    assert LINK in message.text
    assert f'href="{LINK}"' in message.html
    assert "\n" not in message.subject
    assert "\r" not in message.subject
    assert message.to == "a@example.test"


@pytest.mark.parametrize("kind", sorted(EMAILS))
def test_each_language_writes_its_own_email(kind: str) -> None:
    written = {locale: EMAILS[kind](locale, "Ana") for locale in SUPPORTED_LOCALES}

    assert len({message.text for message in written.values()}) == len(SUPPORTED_LOCALES)
    assert len({message.html for message in written.values()}) == len(SUPPORTED_LOCALES)


def test_an_unsupported_language_is_english() -> None:
    assert account_emails.recipient_locale(TRANSLATOR, None, ["de", "xx"]) == "en"
    assert account_emails.recipient_locale(TRANSLATOR, "fr", ["es"]) == "fr"
    assert account_emails.recipient_locale(TRANSLATOR, None, ["de", "es"]) == "es"
