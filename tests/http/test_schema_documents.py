"""The committed contract (docs/api) is what the code serves, and /api/v1 only grows.

A change to the contract shows as a diff of docs/api in review; a breaking change to
/api/v1 fails here unless its line is acknowledged in docs/api/breaking-changes.txt.
"""

from __future__ import annotations

import copy
import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fusionx.entrypoints.cli import main
from fusionx.entrypoints.http.documents import GRAPHQL, contract_documents, encode_document
from fusionx.entrypoints.http.graphql_api.schema import schema_sdl
from tests.support.api_changes import ACKNOWLEDGED, API_DOCS, breaking_changes

REGENERATE = "run `fusionx schema --out docs/api` and commit the result"
OPENAPI = "docs/api/openapi.json"


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    return contract_documents()


def test_the_committed_documents_are_what_the_code_serves(documents):
    for name, document in documents.items():
        committed = API_DOCS / name
        assert committed.exists(), f"docs/api/{name} is missing: {REGENERATE}"
        assert committed.read_text(encoding="utf-8") == encode_document(document), (
            f"docs/api/{name} is not the contract the code serves: {REGENERATE} "
            "(the diff is the contract change: review it)"
        )


def test_api_v1_never_breaks_a_client(documents):
    """Each committed version against the one before it, and the code against the last."""
    acknowledged = _acknowledged()
    versions = [documents["openapi.json"], *_committed_versions()]
    for newer, older in itertools.pairwise(versions):
        unacknowledged = [c for c in breaking_changes(older, newer) if c not in acknowledged]
        assert unacknowledged == [], (
            "Breaking changes to /api/v1. Put them under /api/v2 instead, or, if clients "
            "are ready for them, copy these lines into docs/api/breaking-changes.txt:\n"
            + "\n".join(unacknowledged)
        )


def _acknowledged() -> set[str]:
    if not ACKNOWLEDGED.exists():
        return set()
    lines = ACKNOWLEDGED.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _committed_versions() -> list[dict[str, Any]]:
    """docs/api/openapi.json as committed along this branch's first-parent line, newest
    first (merged branches' own versions are not steps of it)."""
    git = shutil.which("git")
    root = API_DOCS.parents[1]
    if git is None or not (root / ".git").exists():
        pytest.skip("not a git checkout: only the code against the committed copy is checked")
    log = _git(git, root, "log", "--first-parent", "--format=%H", "--", OPENAPI)
    return [json.loads(_git(git, root, "show", f"{commit}:{OPENAPI}")) for commit in log.split()]


def _git(git: str, root: Path, *args: str) -> str:
    # git, found on PATH, with arguments of ours.
    done = subprocess.run(  # noqa: S603
        [git, *args], cwd=root, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_fusionx_schema_writes_every_document(tmp_path, capsys, documents):
    assert main(["schema", "--out", str(tmp_path / "api")]) == 0

    assert sorted(capsys.readouterr().out.split()) == sorted(
        str(tmp_path / "api" / name) for name in [*documents, GRAPHQL]
    )
    assert (tmp_path / "api" / GRAPHQL).read_text(encoding="utf-8") == schema_sdl()
    for name, document in documents.items():
        assert (tmp_path / "api" / name).read_text(encoding="utf-8") == encode_document(document)
    assert main(["schema", "--asyncapi"]) == 0
    assert capsys.readouterr().out == encode_document(documents["asyncapi.json"])


# The comparison itself, on a small document.

BASE: dict[str, Any] = {
    "paths": {
        "/api/v1/orders": {
            "post": {
                "parameters": [
                    {"in": "query", "name": "dry", "required": False, "schema": {"type": "boolean"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Body"}}
                    },
                },
                "responses": {
                    "201": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/View"}}
                        }
                    },
                    "409": {"content": {}},
                },
            }
        },
        "/health/live": {"get": {"responses": {"200": {}}}},
    },
    "components": {
        "schemas": {
            "Body": {
                "type": "object",
                "required": ["qty"],
                "properties": {
                    "qty": {"type": "integer", "minimum": 1, "maximum": 100},
                    "note": {"anyOf": [{"type": "string", "maxLength": 200}, {"type": "null"}]},
                    "kind": {"enum": ["window", "online"]},
                },
            },
            "View": {
                "type": "object",
                "required": ["id", "total"],
                "properties": {"id": {"type": "string"}, "total": {"type": "integer"}},
            },
        }
    },
}


def changed(edit) -> list[str]:
    new = copy.deepcopy(BASE)
    edit(new)
    return breaking_changes(BASE, new)


def test_additions_break_nothing():
    def grow(doc):
        doc["paths"]["/api/v1/menu"] = {"get": {"responses": {"200": {}}}}
        operation = doc["paths"]["/api/v1/orders"]["post"]
        operation["responses"]["422"] = {"content": {}}
        body = doc["components"]["schemas"]["Body"]
        body["properties"]["pickup_at"] = {"type": "string"}
        body["properties"]["qty"]["maximum"] = 500
        body["properties"]["kind"]["enum"].append("kiosk")
        doc["components"]["schemas"]["View"]["properties"]["state"] = {"type": "string"}
        del doc["paths"]["/health/live"]  # not versioned

    assert changed(grow) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d["paths"].pop("/api/v1/orders"),
            "POST /api/v1/orders: operation removed",
        ),
        (
            lambda d: d["paths"]["/api/v1/orders"]["post"]["responses"].pop("409"),
            "POST /api/v1/orders: response 409 removed",
        ),
        (
            lambda d: d["components"]["schemas"]["View"]["properties"].pop("total"),
            "POST /api/v1/orders: response 201 field `total`: removed",
        ),
        (
            lambda d: d["components"]["schemas"]["View"]["required"].remove("total"),
            "POST /api/v1/orders: response 201 field `total`: no longer always present",
        ),
        (
            lambda d: d["components"]["schemas"]["View"]["properties"].update(
                total={"anyOf": [{"type": "integer"}, {"type": "null"}]}
            ),
            "POST /api/v1/orders: response 201 field `total`: may now be null",
        ),
        (
            lambda d: d["components"]["schemas"]["Body"]["required"].append("note"),
            "POST /api/v1/orders: request body field `note`: now required",
        ),
        (
            lambda d: d["paths"]["/api/v1/orders"]["post"]["parameters"][0].update(required=True),
            "POST /api/v1/orders: query parameter `dry`: now required",
        ),
        (
            lambda d: d["components"]["schemas"]["Body"]["properties"].update(
                note={"type": "string"}
            ),
            "POST /api/v1/orders: request body field `note`: no longer accepts null",
        ),
        (
            lambda d: d["components"]["schemas"]["Body"]["properties"]["qty"].update(maximum=50),
            "POST /api/v1/orders: request body field `qty`: maximum lowered to 50",
        ),
        (
            lambda d: d["components"]["schemas"]["Body"]["properties"]["kind"].update(
                enum=["window"]
            ),
            "POST /api/v1/orders: request body field `kind`: accepts fewer values (online)",
        ),
        (
            lambda d: d["components"]["schemas"]["Body"]["properties"]["note"]["anyOf"][0].update(
                maxLength=100
            ),
            "POST /api/v1/orders: request body field `note`: maxLength lowered to 100",
        ),
    ],
)
def test_each_kind_of_break_is_named(edit, expected):
    assert changed(edit) == [expected]


def test_a_response_of_several_media_types_is_compared_kind_by_kind():
    def csv_first(doc):
        content = doc["paths"]["/api/v1/orders"]["post"]["responses"]["201"]["content"]
        doc["paths"]["/api/v1/orders"]["post"]["responses"]["201"]["content"] = {
            "text/csv": {"schema": {"type": "string"}},
            **content,
        }

    def json_gone(doc):
        doc["paths"]["/api/v1/orders"]["post"]["responses"]["201"]["content"] = {
            "text/csv": {"schema": {"type": "string"}}
        }

    assert changed(csv_first) == []
    assert changed(json_gone) == ["POST /api/v1/orders: response 201: no longer application/json"]
