"""Reading a settings Struct from ``FUSIONX_*`` environment variables.

Values are taken as people write them: booleans as ``true``/``yes``/``on``/``1`` (or
their opposites) in any case, choices in any case, numbers with stray spaces. A value
that is still wrong is a ``SettingsError`` naming the variable, echoing the value (never
a secret's) and saying what is allowed. A ``FUSIONX_*`` variable that no setting reads
is worth a warning: it is most often a typo.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import msgspec
from msgspec import inspect

S = TypeVar("S", bound=msgspec.Struct)
PREFIX = "FUSIONX_"
# Read by the test suite, not by the service; named so they are not taken for typos.
TEST_VARIABLES = frozenset(
    {
        "FUSIONX_TEST_DATABASE_URL",
        "FUSIONX_REQUIRE_POSTGRES",
        "FUSIONX_TEST_REDIS_URL",
        "FUSIONX_REQUIRE_REDIS",
        "FUSIONX_REQUIRE_BROWSER",
        "FUSIONX_FUZZ_EXAMPLES",
        "FUSIONX_FUZZ_POSTGRES",
        "FUSIONX_FUZZ_RANDOM",
        "FUSIONX_TEST_SEED",
    }
)
_TRUE = frozenset({"true", "yes", "on", "1", "y", "t"})
_FALSE = frozenset({"false", "no", "off", "0", "n", "f"})


class SettingsError(Exception):
    """A setting is missing or wrong. ``str(error)`` is the one line to show."""


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def bad_value(variable: str, value: str, allowed: str, *, secret: bool = False) -> SettingsError:
    """The error for ``value`` of ``variable``, in the one shape every setting uses."""
    shown = "the value given (a secret, not shown)" if secret else repr(value)
    return SettingsError(f"{variable}: {shown} is not allowed; expected {allowed}")


def variable_of(field: str, environ: Mapping[str, str] | None = None) -> str:
    """The variable ``field`` was read from: ``FUSIONX_<FIELD>_FILE`` if that was set."""
    environ = os.environ if environ is None else environ
    name = env_name(field)
    return name + "_FILE" if name + "_FILE" in environ else name


def from_environment(
    kind: type[S], secrets: frozenset[str], environ: Mapping[str, str] | None = None
) -> S:
    """A settings Struct from ``FUSIONX_<FIELD>`` variables (``_FILE`` for ``secrets``)."""
    environ = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    sources: dict[str, tuple[str, str]] = {}
    fields = _fields(kind)
    for field in fields:
        name = env_name(field.name)
        if field.name in secrets and name + "_FILE" in environ:
            variable, value = name + "_FILE", _read_secret_file(name, environ[name + "_FILE"])
        elif name in environ:
            variable, value = name, environ[name]
        else:
            continue
        sources[field.name] = (variable, value)
        raw[field.name] = _as_written(field.type, value)
    try:
        return msgspec.convert(raw, kind, strict=False)
    except msgspec.ValidationError as error:
        field_name = str(error).partition(" - at `$.")[2].rstrip("`")
        if field_name not in sources:
            raise SettingsError(f"settings: {error}") from None
        variable, value = sources[field_name]
        kinds = {field.name: field.type for field in fields}
        raise bad_value(
            variable, value, allowed(kinds[field_name]), secret=field_name in secrets
        ) from None


def _fields(kind: type[msgspec.Struct]) -> tuple[inspect.Field, ...]:
    info = inspect.type_info(kind)
    assert isinstance(info, inspect.StructType)  # noqa: S101 - kind is a Struct class
    return info.fields


def allowed(kind: inspect.Type) -> str:
    """What a value of this type may be, in words."""
    if isinstance(kind, inspect.UnionType):
        return " or ".join(allowed(t) for t in kind.types if not isinstance(t, inspect.NoneType))
    if isinstance(kind, inspect.BoolType):
        return "true or false (also yes/no, on/off, 1/0)"
    if isinstance(kind, inspect.EnumType):
        return "one of " + ", ".join(str(member.value) for member in kind.cls)
    if isinstance(kind, inspect.IntType | inspect.FloatType):
        noun = "an integer" if isinstance(kind, inspect.IntType) else "a number"
        return noun + _bounds(kind)
    if isinstance(kind, inspect.StrType) and kind.min_length:
        return f"text of at least {kind.min_length} characters"
    return "text"


def _bounds(kind: inspect.IntType | inspect.FloatType) -> str:
    if kind.ge is not None and kind.le is not None:
        return f" from {kind.ge} to {kind.le}"
    limits = [
        f"above {kind.gt}" if kind.gt is not None else "",
        f"at least {kind.ge}" if kind.ge is not None else "",
        f"below {kind.lt}" if kind.lt is not None else "",
        f"at most {kind.le}" if kind.le is not None else "",
    ]
    return ", " + " and ".join(limit for limit in limits if limit) if any(limits) else ""


def _as_written(kind: inspect.Type, value: str) -> object:
    """``value`` in the spelling msgspec expects, when it is a common one for ``kind``."""
    if isinstance(kind, inspect.UnionType):
        kinds = [t for t in kind.types if not isinstance(t, inspect.NoneType)]
        return _as_written(kinds[0], value) if len(kinds) == 1 else value
    word = value.strip()
    if isinstance(kind, inspect.BoolType):
        lowered = word.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else value
    if isinstance(kind, inspect.EnumType):
        by_folded = {str(member.value).casefold(): member.value for member in kind.cls}
        return by_folded.get(word.casefold(), value)
    if isinstance(kind, inspect.IntType | inspect.FloatType):
        return word
    return value


def _read_secret_file(name: str, path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise bad_value(
            name + "_FILE", path, f"a readable file ({(error.strerror or str(error)).lower()})"
        ) from None


def known_variables(kind: type[msgspec.Struct], secrets: frozenset[str]) -> frozenset[str]:
    """Every variable ``from_environment(kind, secrets)`` reads."""
    names = {env_name(field.name) for field in msgspec.structs.fields(kind)}
    return frozenset(names | {env_name(field) + "_FILE" for field in secrets})


def unknown_variables(environ: Mapping[str, str], known: Iterable[str]) -> list[str]:
    """A warning line for each ``FUSIONX_*`` variable that is not in ``known``."""
    known = set(known) | TEST_VARIABLES
    # Compared without the prefix they all share, which would make any name look close.
    suffixes = sorted(name.removeprefix(PREFIX) for name in known)
    warnings = []
    for name in sorted(n for n in environ if n.startswith(PREFIX) and n not in known):
        closest = difflib.get_close_matches(name.removeprefix(PREFIX), suffixes, n=1, cutoff=0.6)
        hint = f" (did you mean {PREFIX}{closest[0]}?)" if closest else ""
        warnings.append(f"warning: {name} is not a setting{hint}; it is ignored")
    return warnings
