"""The published contract: the OpenAPI document as served, as ``fusionx schema`` writes it.

Litestar describes the routes; the request and response bodies are then described by
msgspec, from the very Structs that decode and encode them, so every bound msgspec
enforces is in the document (Litestar's own generator drops falsy ones such as
``minimum: 0``). Rules the core checks itself are stated on the Structs with
``extra_json_schema`` and compared with the server's answers by ``tests/http``.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler

from fusionx.entrypoints.http.decoding import MAX_INTEGER, MIN_INTEGER
from fusionx.entrypoints.http.schemas.problems import PROBLEM_MEDIA_TYPE
from fusionx.entrypoints.http.schemas.requests import RequestBody

_STATE_KEY = "fusionx.openapi_document"
_REF = "#/components/schemas/{name}"
_OPERATIONS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
# A route that reads or writes the database can find it unreachable or lose a lock race.
_STORAGE_FAILURE = 503


def openapi_document(app: Litestar) -> dict[str, Any]:
    """The OpenAPI document of ``app``, built once and kept in its state."""
    document: dict[str, Any] | None = app.state.get(_STATE_KEY)
    if document is None:
        document = app.openapi_schema.to_schema()
        _describe_bodies_with_msgspec(app, document)
        _document_storage_failures(document)
        _document_files(app, document)
        app.state[_STATE_KEY] = document
    return document


def _describe_bodies_with_msgspec(app: Litestar, document: dict[str, Any]) -> None:
    kinds = tuple(_wire_types(app))
    _, components = msgspec.json.schema_components(kinds, ref_template=_REF)
    for kind in _request_bodies():
        _bound_integers(components.get(kind.__name__))
    document.setdefault("components", {}).setdefault("schemas", {}).update(components)
    document["components"]["schemas"] = dict(sorted(document["components"]["schemas"].items()))


def _request_bodies() -> Iterator[type]:
    """Every request body Struct, nested objects included."""
    pending = [RequestBody]
    while pending:
        kind = pending.pop()
        pending += kind.__subclasses__()
        yield kind


def _bound_integers(schema: Any) -> None:
    """Request decoding refuses integers outside 32 bits: every integer a body holds says so."""
    if isinstance(schema, dict):
        if schema.get("type") == "integer":
            schema["minimum"] = max(schema.get("minimum", MIN_INTEGER), MIN_INTEGER)
            schema["maximum"] = min(schema.get("maximum", MAX_INTEGER), MAX_INTEGER)
        for inner in schema.values():
            _bound_integers(inner)
    elif isinstance(schema, list):
        for inner in schema:
            _bound_integers(inner)


def _wire_types(app: Litestar) -> Iterator[type]:
    """Every Struct and enum a documented route takes or gives, each once."""
    seen: set[type] = set()
    for handler in _documented_handlers(app):
        signature = handler.parsed_fn_signature
        annotations = [signature.return_type.raw]
        if "data" in signature.parameters:  # the request body, by Litestar's convention
            annotations.append(signature.parameters["data"].raw)
        annotations += [spec.data_container for spec in (handler.responses or {}).values()]
        for annotation in annotations:
            for kind in _named_types(annotation):
                if kind not in seen:
                    seen.add(kind)
                    yield kind


def _documented_handlers(app: Litestar) -> Iterator[HTTPRouteHandler]:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler) and handler.resolve_include_in_schema():
                yield handler


def _named_types(annotation: Any) -> Iterator[type]:
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct | enum.Enum):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _named_types(argument)


def _document_storage_failures(document: dict[str, Any]) -> None:
    """Every API route touches the database, which may be away or busy: 503, retry."""
    described = {
        "description": "The database is unreachable or was busy: nothing was done; "
        "retry after `Retry-After` seconds",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": _REF.format(name="ProblemDetails")}}},
    }
    for path, item in document["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            if method in _OPERATIONS:
                operation["responses"].setdefault(str(_STORAGE_FAILURE), described)


def _document_files(app: Litestar, document: dict[str, Any]) -> None:
    """A route answering a file (``opt["file_content"]``) says which media types."""
    files = {
        handler.operation_id: handler.opt["file_content"]
        for handler in _documented_handlers(app)
        if "file_content" in handler.opt
    }
    for item in document["paths"].values():
        for method, operation in item.items():
            if method in _OPERATIONS and operation.get("operationId") in files:
                answer = operation["responses"].setdefault("200", {"description": "The file"})
                answer["content"] = files[operation["operationId"]]()
