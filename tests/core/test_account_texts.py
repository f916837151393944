"""Every email text: its key is dotted and unique, its three parts take the same
placeholders, and what fills them is escaped in the HTML part."""

from __future__ import annotations

import re
import string

import pytest

from fusionx.core.model import account_texts
from fusionx.core.model.account_texts import EmailTexts, Text


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("texts", account_texts.ALL, ids=lambda t: t.subject.key.split(".")[1])
def test_the_parts_of_a_message_agree(texts: EmailTexts) -> None:
    parts = (texts.subject, texts.text, texts.html)
    prefix = texts.subject.key.rpartition(".")[0]
    assert [part.key for part in parts] == [f"{prefix}.subject", f"{prefix}.text", f"{prefix}.html"]
    assert placeholders(texts.text.source) == placeholders(texts.html.source)
    assert placeholders(texts.subject.source) <= placeholders(texts.text.source)
    assert "link" in placeholders(texts.text.source)


@pytest.mark.parametrize("texts", account_texts.ALL, ids=lambda t: t.subject.key.split(".")[1])
def test_every_value_is_escaped_in_html_and_kept_in_text(texts: EmailTexts) -> None:
    hostile = '<script>alert("x")</script>'
    params = dict.fromkeys(placeholders(texts.text.source), hostile)

    message = account_texts.render(texts, "a@example.test", **params)

    assert hostile in message.text
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in message.html
    assert message.to == "a@example.test"


def every_text() -> list[Text]:
    loose = [value for value in vars(account_texts).values() if isinstance(value, Text)]
    parts = [part for t in account_texts.ALL for part in (t.subject, t.text, t.html)]
    return loose + parts


def test_every_text_has_its_own_dotted_key() -> None:
    keys = [text.key for text in every_text()]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", key) for key in keys), keys


def test_a_line_break_in_a_value_stays_out_of_the_subject() -> None:
    texts = account_texts.INVITATION
    params = dict.fromkeys(placeholders(texts.text.source), "x")

    message = account_texts.render(texts, "a@b.io", **params | {"inviter": "Eve\r\nBcc: all@x.io"})

    assert message.subject == "Eve Bcc: all@x.io invited you to FusionX"
