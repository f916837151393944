"""What a request's inputs must be before any handler sees them, checked in one place.

Litestar converts a body to its Struct leniently (the string ``"1"`` passes for an
integer) and knows nothing of what the database can store. ``check_inputs`` runs before
every handler and refuses, naming each field at once:

- a JSON body that is not UTF-8 JSON, or is nested deeper than ``MAX_DEPTH`` (400);
- text the database cannot store: the NUL character, in a JSON string or key, a form
  field or a query parameter (PostgreSQL refuses it);
- a JSON integer outside the signed 32 bits every integer column holds;
- a body that does not match its schema strictly: a string for a number, a field the
  schema does not name (request Structs forbid unknown fields), a value out of range.

What passes is what Litestar then converts, so its conversion cannot differ. The
caller of an authenticated handler is authenticated first (``authenticate_first``).
"""

from __future__ import annotations

import types
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
from litestar import Request
from litestar.enums import RequestEncodingType

from fusionx.core.messages import Message
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.auth import authenticate_first
from fusionx.entrypoints.http.customer_principal import authenticate_customer_first
from fusionx.entrypoints.http.field_errors import REQUIRED, BadField, msgspec_message

MAX_DEPTH = 16
"""How deep arrays and objects may nest in a JSON body (ours nest 4 deep at most)."""
MIN_INTEGER, MAX_INTEGER = -(2**31), 2**31 - 1
"""The integers a JSON body may hold: what an integer column stores."""
_NUL = "\x00"
_HAS_NUL = Message("input.nul")
_TOO_DEEP = Message("body.too_deep", {"count": MAX_DEPTH})


class MalformedBody(Exception):
    """The body cannot be read as JSON at all; ``detail`` says why."""

    def __init__(self, detail: Message) -> None:
        super().__init__(str(detail))
        self.detail = detail


class InvalidFields(Exception):
    """Fields that are not what the operation takes, every one of them."""

    def __init__(self, errors: list[BadField]) -> None:
        super().__init__(", ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


def before_handlers(adapters: Adapters) -> Callable[[Request[Any, Any, Any]], Awaitable[None]]:
    """Litestar's ``before_request`` hook: who is calling, then whether its inputs are fit."""

    async def before_handler(request: Request[Any, Any, Any]) -> None:
        await authenticate_first(request, adapters)
        await authenticate_customer_first(request, adapters)
        await check_inputs(request)

    return before_handler


async def check_inputs(request: Request[Any, Any, Any]) -> None:
    """Raise ``InvalidFields`` naming every input that is not acceptable."""
    errors = [
        _field_error(name, _HAS_NUL)
        for name, value in request.query_params.multi_items()
        if _NUL in name or _NUL in str(value)
    ]
    data = request.route_handler.parsed_data_field
    if data is not None:
        kwarg = data.kwarg_definition
        media_type = getattr(kwarg, "media_type", RequestEncodingType.JSON)
        if media_type == RequestEncodingType.JSON:
            errors += await _json_body_errors(request, data.annotation)
        elif media_type == RequestEncodingType.URL_ENCODED:
            form = await request.form()
            errors += [
                _field_error(name, _HAS_NUL)
                for name, value in form.multi_items()
                if _NUL in name or _NUL in str(value)
            ]
    if errors:
        raise InvalidFields(errors)


async def _json_body_errors(request: Request[Any, Any, Any], annotation: Any) -> list[BadField]:
    body = await request.body()
    if not body:
        return []  # Litestar answers a missing body as it answers a missing field
    document = decode_json(body)
    errors = storage_errors(document)
    named = {error.field for error in errors}
    return errors + [e for e in schema_errors(document, annotation) if e.field not in named]


def decode_json(body: bytes) -> Any:
    """``body`` as builtins, or ``MalformedBody``: not UTF-8, not JSON, or too deep."""
    try:
        document = msgspec.json.decode(body)
    except RecursionError:
        raise MalformedBody(_TOO_DEEP) from None
    except UnicodeDecodeError:
        raise MalformedBody(Message("body.not_utf8")) from None
    except msgspec.DecodeError as error:
        raise MalformedBody(Message("body.invalid_json", {"reason": _plain(error)})) from None
    if _depth(document) > MAX_DEPTH:
        raise MalformedBody(_TOO_DEEP)
    return document


def _depth(document: Any) -> int:
    deepest, pending = 0, deque([(document, 1)])
    while pending:
        value, depth = pending.popleft()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            items = value.values() if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
    return deepest


def storage_errors(document: Any) -> list[BadField]:
    """Values no column could keep: text with NUL, integers wider than 32 bits."""
    errors: list[BadField] = []
    pending: deque[tuple[str, Any]] = deque([("", document)])
    while pending:
        path, value = pending.popleft()
        if isinstance(value, dict):
            for key, item in value.items():
                if _NUL in key:
                    errors.append(_field_error(path, Message("input.nul_name")))
                pending.append((f"{path}.{key}" if path else key, item))
        elif isinstance(value, list):
            pending.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, str) and _NUL in value:
            errors.append(_field_error(path, _HAS_NUL))
        elif _is_integer(value) and not MIN_INTEGER <= value <= MAX_INTEGER:
            message = Message("input.between", {"low": MIN_INTEGER, "high": MAX_INTEGER})
            errors.append(_field_error(path, message))
    return errors


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def schema_errors(document: Any, annotation: Any, path: str = "") -> list[BadField]:
    """Every field of ``document`` that strict conversion to ``annotation`` refuses.

    msgspec stops at the first error; this goes on, field by field, so that a client
    hears of every mistake at once.
    """
    try:
        msgspec.convert(document, annotation, strict=True)
    except msgspec.ValidationError as error:
        found = _within(document, annotation, path)
        return found or [_field_error(path, msgspec_message(_plain(error)))]
    return []


def _within(document: Any, annotation: Any, path: str) -> list[BadField]:
    """The errors inside an object or array, when ``annotation`` says what it holds."""
    members = _members(annotation)
    struct = next((m for m in members if _is_struct(m)), None)
    if struct is not None and isinstance(document, dict):
        fields = {info.encode_name: info for info in msgspec.structs.fields(struct)}
        errors = [
            _field_error(_join(path, key), Message("input.unknown_field"))
            for key in document
            if key not in fields
        ]
        for name, info in fields.items():
            if name in document:
                errors += schema_errors(document[name], info.type, _join(path, name))
            elif info.required:
                errors.append(_field_error(_join(path, name), REQUIRED))
        return errors
    item = next((get_args(m)[0] for m in members if get_origin(m) is list), None)
    if item is not None and isinstance(document, list):
        errors = []
        for index, value in enumerate(document):
            errors += schema_errors(value, item, f"{path}[{index}]")
        return errors
    return []


def _members(annotation: Any) -> list[Any]:
    """The types ``annotation`` may be: union members, without ``Annotated`` metadata."""
    if get_origin(annotation) is Annotated:
        return _members(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        return [member for arg in get_args(annotation) for member in _members(arg)]
    return [annotation]


def _is_struct(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, msgspec.Struct)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _field_error(field: str, message: Message) -> BadField:
    return BadField(field or "body", message)


def _plain(error: Exception) -> str:
    """msgspec's message without its ``- at `$…``` suffix and backticks."""
    return str(error).split(" - at `", 1)[0].replace("`", "")
