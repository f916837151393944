"""Every ``FUSIONX_*`` variable the test suite or CI reads is known to the service, so a
command run beside them never warns that one "is not a setting" (CI's in-process CLI
tests compare its standard error line for line)."""

from __future__ import annotations

import re
from pathlib import Path

from fusionx.entrypoints.startup_checks import setting_warnings

ROOT = Path(__file__).resolve().parents[2]
# An `export` in CI; in the tests, a name read with `environ.get(…)` or `environ[…]`, or
# held by a `…_VARIABLE` constant.
_EXPORTED = re.compile(r"^export (FUSIONX_\w+)=", re.MULTILINE)
_READ = re.compile(r"(?:environ(?:\.get)?\(|environ\[|_VARIABLE = )\"(FUSIONX_\w+)\"")


def read_by_tests_and_ci() -> set[str]:
    names = set(_EXPORTED.findall((ROOT / ".ci" / "run").read_text(encoding="utf-8")))
    for path in (ROOT / "tests").rglob("*.py"):
        names |= set(_READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_scan_finds_what_ci_sets() -> None:
    assert {"FUSIONX_REQUIRE_POSTGRES", "FUSIONX_REQUIRE_BROWSER"} <= read_by_tests_and_ci()


def test_no_variable_the_tests_or_ci_read_is_taken_for_a_mistyped_setting() -> None:
    environ = dict.fromkeys(read_by_tests_and_ci(), "1")
    assert setting_warnings(environ) == []
