"""The contract as files: what ``fusionx schema`` writes and ``docs/api/`` holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fusionx.entrypoints.bootstrap import in_memory_adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.asyncapi import asyncapi_document
from fusionx.entrypoints.http.contract import openapi_document
from fusionx.entrypoints.http.graphql_api.schema import schema_sdl
from fusionx.entrypoints.settings import Settings

OPENAPI = "openapi.json"
ASYNCAPI = "asyncapi.json"
GRAPHQL = "schema.graphql"  # the GraphQL read side's schema, in SDL


def contract_documents() -> dict[str, dict[str, Any]]:
    """Each document by file name, from an app that is built but never started."""
    app = create_app(Settings(), in_memory_adapters())
    return {OPENAPI: openapi_document(app), ASYNCAPI: asyncapi_document()}


def encode_document(document: dict[str, Any]) -> str:
    """The committed form: keys sorted and indented, so a change is a readable diff."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_documents(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in contract_documents().items():
        path = directory / name
        path.write_text(encode_document(document), encoding="utf-8")
        written.append(path)
    path = directory / GRAPHQL
    path.write_text(schema_sdl(), encoding="utf-8")
    return [*written, path]
