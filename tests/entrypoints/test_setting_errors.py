"""Every setting, read from its variable: wrong values are one line naming the variable,
echoing the value (never a secret's) and saying what is allowed; common spellings are
taken; a variable no setting reads is reported with the closest one.

The cases come from the settings Structs themselves, so a new setting is covered (or
must be classified below) without anyone remembering to add a test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest
from msgspec import inspect

from fusionx.entrypoints import (
    notification_settings,
    observability_settings,
    rate_limit_settings,
    settings,
)
from fusionx.entrypoints.cli import main
from fusionx.entrypoints.environment import env_name
from fusionx.entrypoints.settings import SettingsError
from fusionx.entrypoints.startup_checks import setting_warnings

Loader = Callable[[Mapping[str, str]], object]
KINDS: list[tuple[type[msgspec.Struct], frozenset[str], Loader]] = [
    (settings.Settings, settings.SECRET_FIELDS, settings.load_settings),
    (
        notification_settings.NotificationSettings,
        notification_settings.SECRET_FIELDS,
        notification_settings.load_notification_settings,
    ),
    (
        observability_settings.ObservabilitySettings,
        observability_settings.SECRET_FIELDS,
        observability_settings.load_observability_settings,
    ),
    (
        rate_limit_settings.RateLimitSettings,
        rate_limit_settings.SECRET_FIELDS,
        rate_limit_settings.load_rate_limit_settings,
    ),
]
# Settings whose type admits any text but a rule of their own does not.
BROKEN_RULES = {
    "database_url": [
        "mysql://app:hunter2@db/x",
        "postgresql+asyncpg://h:port/x",
        "sqlite+aiosqlite://",
    ],
    # LISTEN needs PostgreSQL itself: the embedded database has no listener.
    "listener_database_url": ["sqlite+aiosqlite:///x.db", "mysql://app:hunter2@db/x"],
    "trusted_proxies": ["10.0.0/8", "proxy.internal"],
    "public_url": ["api.fusionx.example", "ftp://api.fusionx.example", "https://"],
    "apns_host": ["http://api.push.apple.com"],
    "sms_base_url": ["ftp://sms.example"],
    "otel_endpoint": ["otel-collector:4318", "http://collector:4318/v1/traces"],
    "public_rate_limit": ["60", "sixty/minute", "60/fortnight"],
    "rate_limit_storage_url": ["redis://:hunter2@cache:6379", "memcached://cache:11211"],
}
# Free text: any value is a value (a wrong path or id shows when it is used).
FREE_TEXT = {
    "data_dir", "host", "apns_key", "apns_key_id", "apns_team_id", "apns_topic",
    "apns_ca_file", "sms_account_sid", "sms_auth_token", "sms_from",
    "sms_messaging_service_sid", "sms_status_callback_url", "metrics_dir", "otel_service_name",
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    field: str
    value: str
    secret: bool
    load: Loader
    # Words the message must hold to say what is allowed.
    allowed: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


def _fields(kind: type[msgspec.Struct]) -> Iterator[inspect.Field]:
    info = inspect.type_info(kind)
    assert isinstance(info, inspect.StructType)
    yield from info.fields


def _bare(kind: inspect.Type) -> inspect.Type:
    if isinstance(kind, inspect.UnionType):
        (kind,) = (t for t in kind.types if not isinstance(t, inspect.NoneType))
    return kind


def _wrong_values(kind: inspect.Type) -> list[tuple[str, tuple[str, ...]]]:
    """Values the type refuses, each with the words that describe what it allows."""
    kind = _bare(kind)
    if isinstance(kind, inspect.BoolType):
        return [("maybe", ("true or false",))]
    if isinstance(kind, inspect.EnumType):
        return [("nonsense", tuple(str(member.value) for member in kind.cls))]
    if isinstance(kind, inspect.IntType | inspect.FloatType):
        bounds = tuple(str(b) for b in (kind.ge, kind.gt, kind.le, kind.lt) if b is not None)
        wrong = ["twelve"]
        wrong += [str(kind.ge - 1)] if kind.ge is not None else []
        wrong += [str(kind.gt)] if kind.gt is not None else []
        wrong += [str(kind.le + 1)] if kind.le is not None else []
        return [(value, bounds) for value in wrong]
    if isinstance(kind, inspect.StrType) and kind.min_length:
        short = ("hunter2" + "x" * kind.min_length)[: kind.min_length - 1]
        return [(short, (f"at least {kind.min_length} characters",))]
    return []


def _cases() -> list[Case]:
    cases = []
    for kind, secrets, load in KINDS:
        for field in _fields(kind):
            wrong = _wrong_values(field.type) or [
                (value, ()) for value in BROKEN_RULES.get(field.name, [])
            ]
            cases += [
                Case(field.name, value, field.name in secrets, load, allowed)
                for value, allowed in wrong
            ]
    return cases


def test_every_setting_is_tested_or_is_free_text() -> None:
    tested = {case.field for case in _cases()}
    every = {field.name for kind, _, _ in KINDS for field in _fields(kind)}

    assert every - tested == FREE_TEXT, "a new setting: give it a wrong value in BROKEN_RULES"


@pytest.mark.parametrize("case", _cases(), ids=str)
def test_a_wrong_value_names_the_variable_echoes_it_and_says_what_is_allowed(
    case: Case,
) -> None:
    with pytest.raises(SettingsError) as refused:
        case.load({env_name(case.field): case.value})

    message = str(refused.value)
    assert message.startswith(f"{env_name(case.field)}: ")
    assert "\n" not in message
    assert "; expected " in message
    for word in case.allowed:
        assert word in message.partition("; expected ")[2]
    if case.secret:  # shown at most without its password (a database URL's)
        assert "hunter2" not in message
    else:
        assert repr(case.value) in message


@pytest.mark.parametrize("case", [c for c in _cases() if c.secret], ids=str)
def test_a_wrong_secret_read_from_a_file_names_the_file_variable(
    case: Case, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.write_text(case.value)

    with pytest.raises(SettingsError) as refused:
        case.load({env_name(case.field) + "_FILE": str(secret)})

    assert str(refused.value).startswith(f"{env_name(case.field)}_FILE: ")
    assert "hunter2" not in str(refused.value)


def _typed_fields(wanted: type[inspect.Type]) -> list[tuple[Loader, str, inspect.Type]]:
    return [
        (load, field.name, _bare(field.type))
        for kind, _, load in KINDS
        for field in _fields(kind)
        if isinstance(_bare(field.type), wanted)
    ]


@pytest.mark.parametrize(("load", "field", "kind"), _typed_fields(inspect.BoolType))
@pytest.mark.parametrize(
    ("spelling", "meaning"),
    [("true", True), ("True", True), ("YES", True), ("on", True), ("1", True), (" yes ", True),
     ("false", False), ("No", False), ("OFF", False), ("0", False)],
)  # fmt: skip
def test_a_boolean_takes_the_common_spellings(
    load: Loader, field: str, kind: inspect.Type, spelling: str, meaning: bool
) -> None:
    assert getattr(load({env_name(field): spelling}), field) is meaning


@pytest.mark.parametrize(("load", "field", "kind"), _typed_fields(inspect.EnumType))
def test_a_choice_takes_any_case(load: Loader, field: str, kind: Any) -> None:
    for member in kind.cls:
        for spelling in (str(member.value).lower(), str(member.value).upper()):
            assert getattr(load({env_name(field): spelling}), field) is member


def _every_variable() -> list[str]:
    names = []
    for kind, secrets, _ in KINDS:
        names += [env_name(field.name) for field in _fields(kind)]
        names += [env_name(field) + "_FILE" for field in secrets]
    return names


def test_no_setting_is_reported_as_unknown() -> None:
    environ = dict.fromkeys(_every_variable(), "x")
    environ |= {"FUSIONX_TEST_DATABASE_URL": "x", "FUSIONX_REQUIRE_POSTGRES": "1", "PATH": "/"}

    assert setting_warnings(environ) == []


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("FUSIONX_PROT", "FUSIONX_PORT"), ("FUSIONX_DEMODATA", "FUSIONX_DEMO_DATA"),
     ("FUSIONX_LOG_LEVL", "FUSIONX_LOG_LEVEL"), ("FUSIONX_SMS_FORM", "FUSIONX_SMS_FROM"),
     ("FUSIONX_DATABASE_URL_FIEL", "FUSIONX_DATABASE_URL_FILE")],
)  # fmt: skip
def test_a_typo_is_reported_with_the_setting_meant(typo: str, meant: str) -> None:
    assert setting_warnings({typo: "9000"}) == [
        f"warning: {typo} is not a setting (did you mean {meant}?); it is ignored"
    ]


def test_an_unlike_name_is_reported_without_a_guess() -> None:
    assert setting_warnings({"FUSIONX_XYZZY": "1"}) == [
        "warning: FUSIONX_XYZZY is not a setting; it is ignored"
    ]


def test_the_command_line_warns_of_a_typo_and_carries_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FUSIONX_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FUSIONX_PROT", "9000")

    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        (
            "fusionx: warning: FUSIONX_PROT is not a setting (did you mean FUSIONX_PORT?); "
            "it is ignored"
        )
    ]
