"""Every request body, as its schema says and nothing else: types are strict, unknown
fields are refused, and a 422 names every bad field at once (the README's promise).

The bodies are every operation's, from the route table (``tests.support.operations``).
The webhooks' bodies are their senders' formats, not ours, and stay out: a gateway may
add fields without warning us.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from msgspec import inspect

from tests.support.hostile import Scene, all_operations, memory_adapters, scene_on
from tests.support.operations import Leaf, Operation, dotted, leaves, structs

OPERATIONS = [
    pytest.param(op, id=op.operation_id) for op in all_operations() if op.body is not None
]
# A value of the wrong JSON type for each kind of leaf, as lax decoding would accept it.
_WRONG_TYPE: dict[type[inspect.Type], Any] = {
    inspect.IntType: "1",
    inspect.BoolType: "true",
    inspect.StrType: 1,
    inspect.UUIDType: 1,
    inspect.LiteralType: 1,
    inspect.EnumType: 1,
    inspect.DateTimeType: 1767614400,
    inspect.DateType: 20261225,
    inspect.FloatType: "48.85",
}


@pytest.fixture(scope="module")
async def scene() -> AsyncIterator[Scene]:
    """One scene: every request here is refused, so none changes it."""
    async with scene_on(memory_adapters()) as built:
        yield built


def named(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    return [error["field"] for error in response.json()["errors"]]


def _body(scene: Scene, operation: Operation) -> Any:
    base = scene.wire_example(operation)
    return base if base is not None else {}


def _leaves(operation: Operation) -> list[Leaf]:
    assert operation.body is not None
    return list(leaves(operation.body))


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_a_value_of_the_wrong_type_is_refused_naming_its_field(
    scene: Scene, operation: Operation
) -> None:
    """``"1"`` is not an integer, ``"true"`` not a boolean, ``1`` not a text or an id."""
    assert operation.body is not None
    wrong = []
    for leaf in _leaves(operation):
        value = _WRONG_TYPE[type(leaf.type)]
        body = scene.examples().with_leaf(operation.body, _body(scene, operation), leaf.path, value)
        response = await scene.send(operation, body=body)
        if response.status_code != 422 or leaf.name not in named(response):
            wrong.append(f"{leaf.name}={value!r}: {response.status_code} {response.text[:200]}")
    assert not wrong


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_an_unknown_field_is_refused_naming_it(scene: Scene, operation: Operation) -> None:
    """At the top of the body and in every object inside it."""
    assert operation.body is not None
    wrong = []
    for path, _ in structs(operation.body):
        full = scene.examples().value(operation.body, "", full=True)
        body = _with_unknown(full, path)
        response = await scene.send(operation, body=body)
        field = dotted((*path, "qty"))
        if response.status_code != 422 or field not in named(response):
            wrong.append(f"{field}: {response.status_code} {response.text[:200]}")
    assert not wrong


def _with_unknown(body: Any, path: tuple[Any, ...]) -> Any:
    node = body
    for part in path:
        node = node[part]
    node["qty"] = 5
    return body


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_every_bad_field_is_named_at_once(scene: Scene, operation: Operation) -> None:
    """A body whose every value is of the wrong type: one 422 names each of them."""
    assert operation.body is not None
    examples = scene.examples()
    body = examples.value(operation.body, "", full=True)
    for leaf in _leaves(operation):
        body = examples.with_leaf(operation.body, body, leaf.path, [])
    response = await scene.send(operation, body=body)

    assert sorted(named(response)) == sorted(leaf.name for leaf in _leaves(operation))
