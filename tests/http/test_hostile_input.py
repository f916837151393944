"""Every class of hostile input, against every operation and every field it takes.

The operations and their fields come from the app's route table (``tests.support.
operations``): a new route or field is attacked with no change here. Each operation has
a request it accepts, built from its schema and a scene in which everything it names
exists (the first test proves each is accepted); each attack changes one thing in that
request. Whatever the attack, the answer is a 4xx RFC 9457 problem, naming the field
where there is one, and nothing is logged as an error. What reaches storage runs on
every backend: PostgreSQL is where NUL characters and integer widths fail.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from msgspec import inspect

from tests.http.conftest import LogLines
from tests.support.databases import BACKENDS, MigratedDatabase, named_backend
from tests.support.hostile import (
    WIRE_BODIES,
    Scene,
    all_operations,
    body_schema,
    memory_adapters,
    scene_on,
    sending_order,
    sql_backend,
)
from tests.support.operations import (
    Leaf,
    Operation,
    is_id,
    is_integer,
    is_text,
    leaves,
    plain,
    random_id,
)

PROBLEM = "application/problem+json"
NUL = "before\x00after"
# Past a 32-bit column, past 64 bits signed and unsigned, and below a 32-bit column.
WIDE_INTEGERS = (2**31, 2**63, 2**64 + 1, -(2**31) - 1)
# Unknown ids an operation answers without an error, by design.
UNKNOWN_IDS_ACCEPTED = {
    ("bulkAdvanceTickets", "ticket_ids[0]"),  # each unknown ticket is a not_found result
    ("receivePaymentNotification", "data.order_id"),  # kept on record, ignored
    ("searchMenuItems", "category_id"),  # a filter that matches nothing
    ("listStaff", "truck_id"),  # a filter that matches nobody, as another truck's does
    ("listAuditRecords", "actor_id"),  # a filter: past actors stay on the trail
}


def body_leaves(operation: Operation) -> list[Leaf]:
    schema = body_schema(operation)
    return [] if schema is None else list(leaves(schema))


def query_params(operation: Operation, kinds: Callable[[inspect.Type], bool]) -> list[str]:
    """The query parameters of one of ``kinds``, or a list of them."""
    found = []
    for name, declared in operation.query_params.items():
        kind = plain(declared)
        item = plain(kind.item_type) if isinstance(kind, inspect.ListType) else kind
        if kinds(item):
            found.append(name)
    return found


def attacked(kinds: Callable[[inspect.Type], bool]) -> list[Any]:
    """The operations with a body leaf or a query parameter of one of ``kinds``."""
    return [
        pytest.param(op, id=op.operation_id)
        for op in OPERATIONS
        if any(kinds(leaf.type) for leaf in body_leaves(op)) or query_params(op, kinds)
    ]


OPERATIONS = all_operations()
WITH_IDS = [
    pytest.param(op, id=op.operation_id)
    for op in OPERATIONS
    if op.path_params
    or any(is_id(leaf.type) for leaf in body_leaves(op))
    or query_params(op, is_id)
]
# What takes JSON: the form of SMS delivery reports does not.
WITH_JSON_BODY = [
    pytest.param(op, id=op.operation_id)
    for op in OPERATIONS
    if body_schema(op) is not None and not op.form
]


@pytest.fixture(scope="module", params=BACKENDS)
def database(request: pytest.FixtureRequest) -> MigratedDatabase | None:
    return named_backend(request)


@asynccontextmanager
async def fresh_scene(database: MigratedDatabase | None) -> AsyncIterator[Scene]:
    if database is None:
        async with scene_on(memory_adapters()) as built:
            yield built
        return
    await database.empty()
    async with sql_backend(database.url) as adapters, scene_on(adapters) as built:
        yield built


@pytest.fixture(scope="module")
async def scene(database: MigratedDatabase | None) -> AsyncIterator[Scene]:
    """One scene per backend for the attacks on stored values: each attack is refused,
    so none changes it."""
    async with fresh_scene(database) as built:
        yield built


@pytest.fixture
async def memory_scene() -> AsyncIterator[Scene]:
    """For what is refused before anything is stored, where the backend cannot matter;
    a scene per test, as these tests send the operation's own request too."""
    async with scene_on(memory_adapters()) as built:
        yield built


def refusal(response: httpx.Response, *, naming: str | None, statuses: Iterable[int]) -> str | None:
    """What is wrong with ``response`` as a refusal naming ``naming``; None if nothing."""
    if response.status_code >= 500 or response.status_code < 400:
        return f"answered {response.status_code}: {response.text[:300]}"
    if not response.headers.get("content-type", "").startswith(PROBLEM):
        return f"answered {response.status_code} without a problem: {response.text[:300]}"
    if response.status_code not in statuses:
        return f"answered {response.status_code}, not {sorted(statuses)}: {response.text[:300]}"
    if naming is not None and response.status_code == 422:
        named = [error.get("field") for error in response.json().get("errors", [])]
        if not any(_about(field, naming) for field in named):
            return f"422 names {named}, not {naming!r}"
    return None


def _about(field: str, leaf: str) -> bool:
    """Whether an error on ``field`` is about ``leaf``: the leaf itself, or the list or
    object holding it (``item_ids`` for ``item_ids[0]``)."""
    return leaf == field or leaf.startswith((f"{field}[", f"{field}."))


def errors_logged(log_lines: LogLines) -> list[str]:
    return [
        f"logged {record.get('event')!r} at {record.get('level')}"
        for record in log_lines.records()
        if record.get("level") in ("error", "critical") or "exception" in record
    ]


async def attack(scene: Scene, operation: Operation, leaf: Leaf, value: Any) -> httpx.Response:
    """The operation's request with the body's ``leaf`` set to ``value``."""
    schema = body_schema(operation)
    assert schema is not None
    body = scene.examples().with_leaf(schema, scene.wire_example(operation), leaf.path, value)
    return await scene.send(operation, body=body)


# --- the generated request -------------------------------------------------------------


async def test_every_generated_request_reaches_its_operation(
    database: MigratedDatabase | None,
) -> None:
    """The base every attack starts from: well formed, naming things that exist (a 409 is
    the state of the scene, not the request)."""
    complaints = []
    async with fresh_scene(database) as scene:
        for operation in sorted(OPERATIONS, key=sending_order):
            response = await scene.send(operation, body=scene.wire_example(operation))
            if response.status_code >= 400 and response.status_code != 409:
                complaints.append(f"{operation}: {response.status_code} {response.text[:300]}")
    assert not complaints


# --- text --------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", attacked(is_text))
async def test_text_the_database_cannot_store_is_refused_naming_the_field(
    scene: Scene, operation: Operation, log_lines: LogLines
) -> None:
    complaints = []
    for leaf in body_leaves(operation):
        if is_text(leaf.type):
            response = await attack(scene, operation, leaf, NUL)
            if why := refusal(response, naming=leaf.name, statuses=(422,)):
                complaints.append(f"{leaf.name}: {why}")
    for name in query_params(operation, is_text):
        response = await scene.send(operation, query={name: NUL})
        if why := refusal(response, naming=name, statuses=(422,)):
            complaints.append(f"?{name}: {why}")
    assert not complaints + errors_logged(log_lines)


# --- integers ----------------------------------------------------------------------------


@pytest.mark.parametrize("operation", attacked(is_integer))
async def test_integers_wider_than_their_columns_are_refused_naming_the_field(
    scene: Scene, operation: Operation, log_lines: LogLines
) -> None:
    complaints = []
    # A sender whose wire format is not ours may send 64-bit integers: they are taken.
    foreign = operation.operation_id in WIRE_BODIES
    for leaf in body_leaves(operation):
        if not is_integer(leaf.type):
            continue
        for value in WIDE_INTEGERS:
            response = await attack(scene, operation, leaf, value)
            if foreign and response.status_code == 200 and abs(value) < 2**63:
                continue
            if why := refusal(response, naming=leaf.name, statuses=(422,)):
                complaints.append(f"{leaf.name}={value}: {why}")
    for name in query_params(operation, is_integer):
        for value in WIDE_INTEGERS:
            response = await scene.send(operation, query={name: str(value)})
            if why := refusal(response, naming=name, statuses=(400, 422)):
                complaints.append(f"?{name}={value}: {why}")
    assert not complaints + errors_logged(log_lines)


# --- references --------------------------------------------------------------------------


@pytest.mark.parametrize("operation", WITH_IDS)
async def test_ids_of_nothing_are_not_found(
    scene: Scene, operation: Operation, log_lines: LogLines
) -> None:
    """Every id a path, a query or a body names: one that names nothing is a 404, or a
    422 naming the field; never a foreign-key violation."""
    complaints = []
    nothing = random_id()
    for name in operation.path_params:
        body = scene.wire_example(operation)
        response = await scene.send(operation, body=body, path={name: nothing})
        if why := refusal(response, naming=None, statuses=(404,)):
            complaints.append(f"{{{name}}}: {why}")
    for leaf in body_leaves(operation):
        if is_id(leaf.type):
            response = await attack(scene, operation, leaf, nothing)
            accepted = (operation.operation_id, leaf.name) in UNKNOWN_IDS_ACCEPTED
            if accepted and response.status_code < 300:
                continue
            if why := refusal(response, naming=leaf.name, statuses=(404, 422)):
                complaints.append(f"{leaf.name}: {why}")
    for name in query_params(operation, is_id):
        response = await scene.send(operation, query={name: nothing})
        accepted = (operation.operation_id, name) in UNKNOWN_IDS_ACCEPTED
        if accepted and response.status_code < 300:
            continue
        if why := refusal(response, naming=name, statuses=(404, 422)):
            complaints.append(f"?{name}: {why}")
    assert not complaints + errors_logged(log_lines)


# --- bodies ------------------------------------------------------------------------------


def _deep(depth: int) -> list[bytes]:
    return [b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth]


@pytest.mark.parametrize("operation", WITH_JSON_BODY)
async def test_bodies_nested_too_deep_or_not_utf8_are_refused(
    memory_scene: Scene, operation: Operation, log_lines: LogLines
) -> None:
    scene = memory_scene
    bodies = _deep(64) + _deep(100_000)
    text = next((leaf for leaf in body_leaves(operation) if is_text(leaf.type)), None)
    if text is not None:
        marked = await _marked(scene, operation, text)
        bodies.append(marked.replace(b"MARK", b"caf\xe9 \xff\xfe"))
    complaints = []
    for raw in bodies:
        response = await scene.send(operation, raw=raw)
        if why := refusal(response, naming=None, statuses=(400, 422)):
            complaints.append(f"{raw[:20]!r}…: {why}")
    assert not complaints + errors_logged(log_lines)


async def _marked(scene: Scene, operation: Operation, leaf: Leaf) -> bytes:
    schema = body_schema(operation)
    assert schema is not None
    body = scene.examples().with_leaf(schema, scene.wire_example(operation), leaf.path, "MARK")
    return json.dumps(body).encode()


# --- headers -----------------------------------------------------------------------------

# The header each webhook's sender signs with.
SIGNED_WITH = {
    "receivePaymentNotification": "Payment-Signature",
    "recordSmsStatus": "X-Twilio-Signature",
}
NOT_ASCII = (
    "t=1767614400,v1=é".encode(),
    "t=1767614400,v1=é".encode("latin-1"),
    "t=١٧٦٧٦١٤٤٠٠,v1=ab".encode(),  # digits, but not ASCII ones
    "t=²,v1=ab".encode(),
)


@pytest.mark.parametrize("operation", [pytest.param(op, id=str(op)) for op in OPERATIONS])
async def test_signature_headers_that_are_not_ascii_are_refused(
    memory_scene: Scene, operation: Operation, log_lines: LogLines
) -> None:
    complaints = []
    for header in SIGNED_WITH.values():
        for value in NOT_ASCII:
            body = memory_scene.wire_example(operation)
            response = await memory_scene.send(operation, body=body, headers={header: value})
            if SIGNED_WITH.get(operation.operation_id) == header:
                why = refusal(response, naming=None, statuses=(401, 403))
            else:
                why = f"answered {response.status_code}" if response.status_code >= 500 else None
            if why:
                complaints.append(f"{header}: {value!r}: {why}")
    assert not complaints + errors_logged(log_lines)
