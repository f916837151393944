"""What in a new OpenAPI document breaks a client written against an old one.

Only ``/api/v1`` is held to this (a new major version goes under ``/api/v2``). A
breaking change is one of:

- an operation (path and method) or one of its documented statuses removed;
- a request newly requiring a field or parameter;
- a request field or parameter accepting less: a type, an enum value or a format gone,
  a bound tightened (minimum, maximum, lengths, item counts), a pattern added or changed;
- a response field removed, no longer always present, or taking a new type (a client
  that never saw ``null`` there has no branch for it).

Each change is one line naming where it is, so an intended one can be acknowledged by
copying its line into ``docs/api/breaking-changes.txt``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

Schema = dict[str, Any]
# The committed contract: what `fusionx schema --out docs/api` writes.
API_DOCS = Path(__file__).resolve().parents[2] / "docs" / "api"
ACKNOWLEDGED = API_DOCS / "breaking-changes.txt"
VERSIONED = "/api/v1/"
_METHODS = ("get", "put", "post", "delete", "patch")
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")
_DEPTH = 12


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    return sorted(set(_operations(old, new)))


def _operations(old: Schema, new: Schema) -> Iterator[str]:
    for path, old_item in old.get("paths", {}).items():
        if not path.startswith(VERSIONED):
            continue
        new_item = new.get("paths", {}).get(path, {})
        for method in _METHODS:
            if method not in old_item:
                continue
            where = f"{method.upper()} {path}"
            if method not in new_item:
                yield f"{where}: operation removed"
                continue
            yield from _operation(where, _Side(old, old_item[method]), _Side(new, new_item[method]))


class _Side:
    """One operation in its document, for following ``$ref``."""

    def __init__(self, document: Schema, operation: Schema) -> None:
        self.document = document
        self.operation = operation

    def resolve(self, schema: Schema | None) -> Schema:
        seen = 0
        while schema is not None and "$ref" in schema and seen < _DEPTH:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.document.get("components", {}).get("schemas", {}).get(name, {})
            seen += 1
        return schema or {}

    def parameters(self) -> dict[tuple[str, str], Schema]:
        return {(p["in"], p["name"]): p for p in self.operation.get("parameters", ())}

    def body(self) -> Schema | None:
        content = self.operation.get("requestBody", {}).get("content", {})
        return next((c.get("schema") for c in content.values()), None)

    def responses(self) -> dict[str, dict[str, Schema | None]]:
        """Each status's schema by media type: a route answering CSV or JSON Lines has
        one of each, compared with its own kind only."""
        return {
            status: {media: c.get("schema") for media, c in response.get("content", {}).items()}
            for status, response in self.operation.get("responses", {}).items()
        }


def _operation(where: str, old: _Side, new: _Side) -> Iterator[str]:
    old_parameters, new_parameters = old.parameters(), new.parameters()
    for key, parameter in new_parameters.items():
        was = old_parameters.get(key)
        label = f"{where}: {key[0]} parameter `{key[1]}`"
        if parameter.get("required") and not (was and was.get("required")):
            yield f"{label}: now required"
        if was is not None:
            yield from _request(
                label, old, was.get("schema"), new, parameter.get("schema"), depth=0
            )
    old_body, new_body = old.body(), new.body()
    if new_body is not None and old_body is None and new.operation["requestBody"].get("required"):
        yield f"{where}: request body now required"
    if old_body is not None and new_body is not None:
        yield from _request(f"{where}: request body", old, old_body, new, new_body, depth=0)
    old_responses, new_responses = old.responses(), new.responses()
    for status, media in old_responses.items():
        if status not in new_responses:
            yield f"{where}: response {status} removed"
            continue
        label = f"{where}: response {status}"
        for kind, schema in media.items():
            if new_responses[status] and kind not in new_responses[status]:
                yield f"{label}: no longer {kind}"
            elif schema is not None and new_responses[status].get(kind) is not None:
                now = new_responses[status][kind]
                yield from _response(label, old, schema, new, now, depth=0)


def _request(
    where: str, old: _Side, was: Schema | None, new: _Side, now: Schema | None, *, depth: int
) -> Iterator[str]:
    """Breaks for a sender: ``now`` accepts less than ``was`` did."""
    was, now = old.resolve(was), new.resolve(now)
    if depth > _DEPTH or not was or not now:
        return
    lost = _types(old, was) - _types(new, now)
    if lost and _types(new, now):
        yield f"{where}: no longer accepts {', '.join(sorted(lost))}"
    yield from _narrowed_values(where, was, now)
    for name, value in now.get("properties", {}).items():
        field = f"{where} field `{name}`"
        if name in now.get("required", ()) and name not in was.get("required", ()):
            yield f"{field}: now required"
        if name in was.get("properties", {}):
            yield from _request(field, old, was["properties"][name], new, value, depth=depth + 1)
    if "items" in was and "items" in now:
        yield from _request(f"{where}[]", old, was["items"], new, now["items"], depth=depth + 1)
    for old_branch, new_branch in _paired_branches(old, was, new, now):
        yield from _request(where, old, old_branch, new, new_branch, depth=depth + 1)


def _response(
    where: str, old: _Side, was: Schema | None, new: _Side, now: Schema | None, *, depth: int
) -> Iterator[str]:
    """Breaks for a reader: ``now`` may give what ``was`` never did, or leave out a field."""
    was, now = old.resolve(was), new.resolve(now)
    if depth > _DEPTH or not was or not now:
        return
    gained = _types(new, now) - _types(old, was)
    if gained and _types(old, was):
        yield f"{where}: may now be {', '.join(sorted(gained))}"
    for name, value in was.get("properties", {}).items():
        field = f"{where} field `{name}`"
        if name not in now.get("properties", {}):
            yield f"{field}: removed"
            continue
        if name in was.get("required", ()) and name not in now.get("required", ()):
            yield f"{field}: no longer always present"
        yield from _response(field, old, value, new, now["properties"][name], depth=depth + 1)
    if "items" in was and "items" in now:
        yield from _response(f"{where}[]", old, was["items"], new, now["items"], depth=depth + 1)
    for old_branch, new_branch in _paired_branches(old, was, new, now):
        yield from _response(where, old, old_branch, new, new_branch, depth=depth + 1)


def _narrowed_values(where: str, was: Schema, now: Schema) -> Iterator[str]:
    if "enum" in now:
        gone = [v for v in was.get("enum", ()) if v not in now["enum"]]
        if gone or "enum" not in was:
            yield f"{where}: accepts fewer values ({', '.join(map(str, gone)) or 'an enum'})"
    if "const" in now and was.get("const") != now["const"]:
        yield f"{where}: accepts only {now['const']!r}"
    for key in _LOWER_BOUNDS:
        if key in now and (key not in was or now[key] > was[key]):
            yield f"{where}: {key} raised to {now[key]}"
    for key in _UPPER_BOUNDS:
        if key in now and (key not in was or now[key] < was[key]):
            yield f"{where}: {key} lowered to {now[key]}"
    if "pattern" in now and now["pattern"] != was.get("pattern"):
        yield f"{where}: pattern now {now['pattern']}"
    if "format" in now and now["format"] != was.get("format"):
        yield f"{where}: format now {now['format']}"


def _types(side: _Side, schema: Schema) -> set[str]:
    """The JSON types a schema allows, unions included; empty: anything."""
    schema = side.resolve(schema)
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        found: set[str] = set()
        for branch in branches:
            kinds = _types(side, branch)
            if not kinds:
                return set()
            found |= kinds
        return found
    kind = schema.get("type")
    if kind is not None:
        return set(kind) if isinstance(kind, list) else {kind}
    if "enum" in schema or "const" in schema:
        return {_json_type(value) for value in schema.get("enum", [schema.get("const")])}
    return {"object"} if "properties" in schema else set()


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "array" if isinstance(value, list) else "object" if isinstance(value, dict) else "string"


def _paired_branches(
    old: _Side, was: Schema, new: _Side, now: Schema
) -> Iterator[tuple[Schema, Schema]]:
    """Union members of the same name (a ``$ref``) or the same single type, old with new."""
    old_branches = {_branch_key(old, b): b for b in was.get("anyOf") or was.get("oneOf") or ()}
    new_branches = {_branch_key(new, b): b for b in now.get("anyOf") or now.get("oneOf") or ()}
    for key, branch in old_branches.items():
        if key in new_branches:
            yield branch, new_branches[key]


def _branch_key(side: _Side, branch: Schema) -> str:
    if "$ref" in branch:
        return str(branch["$ref"])
    return ",".join(sorted(_types(side, branch)))
