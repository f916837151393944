"""granian's allocator told to return freed pages: the setting is one its allocator
reads, ``fusionx serve`` can give it before granian is loaded, and an operator's own
options are left alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fusionx.entrypoints.allocator import (
    FREED_PAGES_GO_BACK,
    GRANIAN_ALLOCATOR_SETTING,
    granian_returns_freed_pages,
)
from tests.support.served import clean_environment

_JEMALLOC_COMPLAINS = "<jemalloc>"


def _load_granian(options: str) -> str:
    """What loading granian prints, given its allocator's ``options``."""
    env = clean_environment(**{GRANIAN_ALLOCATOR_SETTING: options})
    loaded = subprocess.run(
        [sys.executable, "-c", "import granian._granian"],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return loaded.stderr


def test_granians_allocator_reads_the_setting() -> None:
    # A name it does not know is refused out loud: the variable is the one it reads.
    assert _JEMALLOC_COMPLAINS in _load_granian("fusionx_not_an_option:1")
    assert _JEMALLOC_COMPLAINS not in _load_granian(FREED_PAGES_GO_BACK)


def test_the_cli_does_not_load_granian_before_serve_sets_it() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c",
         "import sys, fusionx.entrypoints.cli; print('granian._granian' in sys.modules)"],
        env=clean_environment(), capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert loaded.stdout.strip() == "False"


def test_the_setting_is_given_unless_the_operator_gave_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As in ``fusionx serve`` before granian is loaded (this process may have loaded it).
    monkeypatch.delitem(sys.modules, "granian._granian", raising=False)
    environ: dict[str, str] = {}
    assert granian_returns_freed_pages(environ)
    assert environ == {GRANIAN_ALLOCATOR_SETTING: FREED_PAGES_GO_BACK}

    own = {GRANIAN_ALLOCATOR_SETTING: "narenas:1"}
    assert granian_returns_freed_pages(own)
    assert own == {GRANIAN_ALLOCATOR_SETTING: "narenas:1"}


def test_too_late_once_granian_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "granian._granian", object())
    environ: dict[str, str] = {}
    assert not granian_returns_freed_pages(environ)
    assert environ == {}
