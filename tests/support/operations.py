"""The app's own route table, read as a list of operations and the inputs each one takes.

What the hostile-input suite attacks is found here, never listed by hand: every HTTP
operation under ``/api`` and ``/health``, its path and query parameters, and every leaf
of its JSON body's schema (a text, an integer, an id…) by its path in the body, such
as ``lines[0].notes``. A new route, or a new field on a body, is attacked without any
test changing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import msgspec
from litestar import Litestar
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg, HeaderParameter, ParameterKwarg
from litestar.routes import HTTPRoute, WebSocketRoute
from msgspec import inspect

from fusionx.entrypoints.web.access import is_page

Path = tuple[str | int, ...]
# What is not an input: Litestar's own kwargs and our dependencies.
_NOT_INPUTS = frozenset(
    {"data", "request", "principal", "adapters", "client_address", "user_agent", "scope"}
)


@dataclass(frozen=True)
class Operation:
    """One method on one route, with the inputs its handler declares."""

    operation_id: str
    method: str
    path: str  # Litestar's template: /api/v1/shifts/{shift_id:uuid}
    path_params: tuple[str, ...]
    query_params: dict[str, inspect.Type]
    headers: dict[str, inspect.Type]
    body: inspect.Type | None  # the JSON body's schema
    form: bool = False  # an URL-encoded form body
    reads_raw_body: bool = False  # a handler that reads the bytes itself (webhooks)

    def __str__(self) -> str:
        return self.operation_id

    @property
    def route(self) -> str:
        """Its method and path template: ``GET /api/v1/shifts/{shift_id:uuid}``."""
        return f"{self.method} {self.path}"

    def url(self, values: dict[str, Any]) -> str:
        return filled(self.path, values)


def filled(path: str, values: dict[str, Any]) -> str:
    """The path template ``path`` with each parameter replaced by its value in ``values``."""
    for name in re.findall(r"\{(\w+):", path):
        start = path.index("{" + name)
        path = path[:start] + str(values[name]) + path[path.index("}", start) + 1 :]
    return path


# Where the API's own operations are: the rest is for operators (metrics) and readers of
# the API description (schema).
API_PREFIXES = ("/api/", "/health")


def operations(app: Litestar, under: tuple[str, ...] = API_PREFIXES) -> list[Operation]:
    """Every HTTP operation of ``app`` a client may call under the path prefixes ``under``
    (``("/",)``: every one the app serves), ordered by operation id."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith(under):
            continue
        if is_page(route):
            continue  # a page, not an operation of the API: tests/web checks every page
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"}:
                continue
            found.append(_operation(route, handler))
    return sorted(found, key=lambda operation: (operation.operation_id, operation.route))


def websocket_paths(app: Litestar) -> list[str]:
    """The path template of every WebSocket route of ``app``, pages' streams aside (the
    kitchen board's: tests/web and tests/browser check it)."""
    return sorted(
        route.path
        for route in app.routes
        if isinstance(route, WebSocketRoute) and not is_page(route)
    )


def _operation(route: HTTPRoute, handler: HTTPRouteHandler) -> Operation:
    parameters = handler.parsed_fn_signature.parameters
    path_params = tuple(re.findall(r"\{(\w+):", route.path))
    query: dict[str, inspect.Type] = {}
    headers: dict[str, inspect.Type] = {}
    for name, definition in parameters.items():
        if name in _NOT_INPUTS or name in path_params:
            continue
        kwarg = definition.kwarg_definition
        if isinstance(kwarg, HeaderParameter):  # Annotated[..., HeaderParameter(name=...)]
            headers[kwarg.name or name] = inspect.type_info(definition.annotation)
        elif isinstance(kwarg, ParameterKwarg) and kwarg.header:
            headers[kwarg.header] = inspect.type_info(definition.annotation)
        elif not (isinstance(kwarg, ParameterKwarg) and kwarg.cookie):
            wire_name = kwarg.query if isinstance(kwarg, ParameterKwarg) and kwarg.query else name
            query[wire_name] = inspect.type_info(definition.annotation)
    data = parameters.get("data")
    kwarg = data.kwarg_definition if data else None
    form = isinstance(kwarg, BodyKwarg) and kwarg.media_type == RequestEncodingType.URL_ENCODED
    return Operation(
        operation_id=str(handler.operation_id),
        method=next(iter(handler.http_methods)),
        path=route.path,
        path_params=path_params,
        query_params=query,
        headers=headers,
        body=None if data is None or form else inspect.type_info(data.annotation),
        form=form,
        reads_raw_body="request" in parameters and data is None,
    )


# --- the leaves of a body's schema -----------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """A value a client writes in a body: its path and its type."""

    path: Path
    type: inspect.Type

    @property
    def name(self) -> str:
        """The field's name, as the problem's ``errors`` give it: ``lines[0].notes``."""
        return dotted(self.path)

    @property
    def last_name(self) -> str:
        return next(str(part) for part in reversed(self.path) if isinstance(part, str))


def dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def plain(kind: inspect.Type) -> inspect.Type:
    """``kind`` without metadata, and without the None or UNSET a field may also take."""
    while isinstance(kind, inspect.Metadata):
        kind = kind.type
    if isinstance(kind, inspect.UnionType):
        members = [t for t in kind.types if not isinstance(t, inspect.NoneType)]
        if len(members) == 1:
            return plain(members[0])
    return kind


def leaves(kind: inspect.Type, path: Path = ()) -> Iterator[Leaf]:
    """Every scalar a body of type ``kind`` may hold, the first element standing for a list's."""
    kind = plain(kind)
    if isinstance(kind, inspect.StructType):
        for member in kind.fields:
            yield from leaves(member.type, (*path, member.encode_name))
    elif isinstance(kind, inspect.ListType):
        yield from leaves(kind.item_type, (*path, 0))
    elif isinstance(kind, inspect.DictType):
        return  # maps of enums to enums (notification channels): no free values
    elif isinstance(kind, inspect.UnionType):
        for member in kind.types:
            if not isinstance(member, inspect.NoneType):
                yield from leaves(member, path)
    else:
        yield Leaf(path=path, type=kind)


def structs(kind: inspect.Type, path: Path = ()) -> Iterator[tuple[Path, inspect.StructType]]:
    """Every object a body of type ``kind`` may hold, with its path (the body's own first)."""
    kind = plain(kind)
    if isinstance(kind, inspect.StructType):
        yield path, kind
        for member in kind.fields:
            yield from structs(member.type, (*path, member.encode_name))
    elif isinstance(kind, inspect.ListType):
        yield from structs(kind.item_type, (*path, 0))


def is_text(kind: inspect.Type) -> bool:
    return isinstance(kind, (inspect.StrType, inspect.LiteralType, inspect.EnumType))


def is_integer(kind: inspect.Type) -> bool:
    return isinstance(kind, inspect.IntType)


def is_id(kind: inspect.Type) -> bool:
    return isinstance(kind, inspect.UUIDType)


# --- building bodies ---------------------------------------------------------------------


@dataclass
class Examples:
    """Valid values by field name (``item_id``: an item of the scene's menu), and whole
    bodies' optional fields worth sending by operation."""

    by_name: dict[str, Any]
    optional_by_operation: dict[str, dict[str, Any]] = field(default_factory=dict)

    def body(self, operation: Operation) -> Any:
        """A body the operation accepts: its required fields, plus the chosen optional ones."""
        assert operation.body is not None
        extra = self.optional_by_operation.get(operation.operation_id, {})
        return self.value(operation.body, "", full=False, extra=extra)

    def value(
        self, kind: inspect.Type, name: str, *, full: bool, extra: dict[str, Any] | None = None
    ) -> Any:
        """A valid value of ``kind`` for a field called ``name``; ``full``: an object
        with every field, so that any of its leaves can be set."""
        if name in self.by_name:
            return self.by_name[name]
        kind = plain(kind)
        if isinstance(kind, inspect.StructType):
            body = {}
            for member in kind.fields:
                if extra and member.encode_name in extra:
                    body[member.encode_name] = extra[member.encode_name]
                elif member.required or full:
                    body[member.encode_name] = self.value(
                        member.type, member.encode_name, full=full
                    )
            return body
        if isinstance(kind, inspect.ListType):
            wanted = full or (kind.min_length or 0) > 0
            return [self.value(kind.item_type, name, full=full)] if wanted else []
        return _scalar(kind, name)

    def with_leaf(self, schema: inspect.Type, body: Any, path: Path, value: Any) -> Any:
        """``body`` (of type ``schema``) with the leaf at ``path`` set to ``value``,
        making its parents if absent."""
        copy = msgspec.json.decode(msgspec.json.encode(body if body is not None else {}))
        kind: inspect.Type = schema
        node = copy
        for depth, part in enumerate(path):
            kind = _child(plain(kind), part)
            if depth == len(path) - 1:
                if isinstance(part, int) and part >= len(node):
                    node.append(value)
                else:
                    node[part] = value
                break
            missing = (isinstance(part, int) and part >= len(node)) or (
                isinstance(part, str) and not isinstance(node.get(part), (dict, list))
            )
            if missing:
                made = self.value(kind, str(part), full=True)
                if isinstance(part, int):
                    node.append(made)
                else:
                    node[part] = made
            node = node[part]
        return copy


def _child(kind: inspect.Type, part: str | int) -> inspect.Type:
    if isinstance(kind, inspect.StructType):
        return next(member.type for member in kind.fields if member.encode_name == part)
    if isinstance(kind, inspect.ListType):
        return kind.item_type
    raise TypeError(f"no {part!r} in {kind}")


_SIMPLE: dict[type[inspect.Type], Any] = {
    inspect.BoolType: False,
    inspect.DictType: {},
    inspect.DateTimeType: "2026-01-05T12:30:00Z",
}


def _scalar(kind: inspect.Type, name: str) -> Any:
    if isinstance(kind, inspect.StrType):
        return "x" * max(kind.min_length or 1, 1)
    if isinstance(kind, inspect.IntType):
        low = kind.ge if kind.ge is not None else 1
        return max(low, 1) if kind.le is None or kind.le >= 1 else low
    if isinstance(kind, inspect.LiteralType):
        return sorted(kind.values)[0]
    if isinstance(kind, inspect.EnumType):
        return next(iter(kind.cls)).value
    if type(kind) in _SIMPLE:
        return _SIMPLE[type(kind)]
    raise LookupError(f"no example for the field {name!r} of type {kind}: name one in the scene")


def random_id() -> str:
    return str(UUID(int=0x0BAD_1D5 << 64 | 0xC0FFEE))
