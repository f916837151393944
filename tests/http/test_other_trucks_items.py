"""Another truck's own menu items are none of a truck's business: every operation that
names an item answers one of them exactly as it answers an id that names nothing, so
it neither writes anything for it nor tells that it exists.

The operations are the route table's (``tests.support.operations``): any that takes an
item id, in its path or anywhere in its body, is tried, as Curry On's manager on
Curry On's own shift, with Taco Titan's private item.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.factories import PASSWORD
from tests.support.hostile import Scene, all_operations, memory_adapters, scene_on
from tests.support.operations import Operation, leaves, random_id

_ITEM_FIELDS = ("item_id", "item_ids")


def _names_items(operation: Operation) -> bool:
    body = [] if operation.body is None else list(leaves(operation.body))
    return "item_id" in operation.path_params or any(
        leaf.last_name in _ITEM_FIELDS for leaf in body
    )


OPERATIONS = [pytest.param(op, id=str(op)) for op in all_operations() if _names_items(op)]


@pytest.fixture
async def scene() -> AsyncIterator[Scene]:
    async with scene_on(memory_adapters()) as built:
        yield built


async def _as_curry(scene: Scene) -> tuple[dict[str, str], dict[str, Any]]:
    """Curry On's manager's credential, and Curry On's truck and open shift."""
    login = await scene.client.post(
        "/api/v1/auth/login", json={"email": scene.curry_manager.email, "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    shift = await scene.client.post(
        "/api/v1/shifts",
        json={"truck_id": str(scene.curry.id), "location_id": str(scene.plaza.id)},
        headers=headers,
    )
    assert shift.status_code == 201, shift.text
    return headers, {"shift_id": shift.json()["id"], "truck_id": str(scene.curry.id)}


def _answer(response: httpx.Response) -> tuple[int, str | None, list[str]]:
    body = response.json() if response.content else {}
    fields = [error["field"] for error in body.get("errors", [])]
    return response.status_code, body.get("type"), fields


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_another_trucks_item_is_answered_as_an_item_that_does_not_exist(
    scene: Scene, operation: Operation
) -> None:
    headers, path = await _as_curry(scene)
    theirs, nothing = str(scene.taco_private_item), random_id()
    complaints = []
    if "item_id" in operation.path_params:
        body = scene.wire_example(operation)
        answers = [
            _answer(await scene.send(operation, body=body, path={**path, "item_id": item},
                                     headers=headers))
            for item in (theirs, nothing)
        ]  # fmt: skip
        if answers[0] != answers[1] or answers[0][0] < 400:
            complaints.append(f"{{item_id}}: {answers}")
    for leaf in [] if operation.body is None else leaves(operation.body):
        if leaf.last_name not in _ITEM_FIELDS:
            continue
        answers = []
        for item in (theirs, nothing):
            body = scene.examples().with_leaf(
                operation.body, scene.wire_example(operation), leaf.path, item
            )
            response = await scene.send(operation, body=body, path=path, headers=headers)
            answers.append(_answer(response))
        if answers[0] != answers[1] or answers[0][0] < 400:
            complaints.append(f"{leaf.name}: {answers}")
    assert not complaints
