"""What every template must be for the Content-Security-Policy to hold without
``unsafe-inline``: no script written in the page, no event-handler attribute, no inline
style, and the texts through the catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fusionx.entrypoints.web.templating import TEMPLATES_DIRECTORY

TEMPLATES = sorted(TEMPLATES_DIRECTORY.rglob("*.html"))
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"""<style\b|\sstyle\s*=""", re.IGNORECASE)
_JS_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_there_are_templates():
    assert {path.name for path in TEMPLATES} >= {"base.html", "sign_in.html", "home.html"}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_inline_script_handler_or_style(template: Path):
    text = template.read_text(encoding="utf-8")

    scripts = _SCRIPT.findall(text)
    assert [body for _, body in scripts if body.strip()] == [], "inline script"
    assert all("src=" in attributes for attributes, _ in scripts), "a script without src"
    assert _HANDLER.findall(text) == [], "an on*= event handler attribute"
    assert _INLINE_STYLE.findall(text) == [], "inline style"
    assert _JS_URL.findall(text) == [], "a javascript: URL"


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", '<button onclick="x()">', '<p style="color:red">'],
)
def test_the_checks_see_what_they_forbid(text):
    assert _SCRIPT.search(text) or _HANDLER.search(text) or _INLINE_STYLE.search(text)
