"""What the OpenAPI document allows in a request body is what the server accepts.

For every constrained field of every request body, values just inside and just outside
each documented bound (minimum, maximum, lengths, blank text, patterns, enums) are sent
on an otherwise valid request: outside is a 422 naming the field, inside is not.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest

from tests.http.conftest import bearer, order_body
from tests.support.customers import customer_token, make_customer
from tests.support.tracking import tracked

PASSWORD = "correct horse battery"
TOKEN = "0123456789abcdef" * 4
# Values for each documented pattern: some it matches, some it does not.
PATTERNS: dict[str, tuple[list[str], list[str]]] = {
    r"^([01][0-9]|2[0-3]):[0-5][0-9]$": (["00:00", "23:59", "07:30"], ["24:00", "7:30", "12:60"]),
    r"^[0-9a-fA-F]{64,200}$": ([TOKEN, TOKEN.upper(), "a" * 200], [TOKEN[:-1], "g" * 64]),
    r"^\s*https://": (["https://cdn.example/a.png", " https://x"], ["http://x", "ftp://x"]),
    r"^[\s().-]*\+[\s().-]*[1-9](?:[\s().-]*[0-9]){6,14}[\s().-]*$": (
        ["+447700900123", "+44 (7700) 900-123", "+1234567"],
        ["447700900123", "+0447700900", "+123456", "+1234567890123456", "+٤٤٧٧٠٠٩٠٠١٢٣"],
    ),
    r"^\s*(?=(?:[^0-9]*[0-9]){5})\+?[0-9 ().-]{5,40}\s*$": (
        ["+44 7700 900123", "12345", " (555) 123-4567 "],
        ["1234", "+44 7700 9OO123", "phone 12345"],
    ),
    r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$": (
        ["ana@example.com", " a@b.co "],
        ["ana@example", "ana example.com", "a@b@c.d"],
    ),
}
BLANK = r"\S"
CHOICES = frozenset({"min_choices", "max_choices"})


@dataclass
class Probe:
    label: str
    path: tuple[str | int, ...]
    value: Any
    inside: bool


@dataclass(frozen=True, kw_only=True)
class Case:
    """Where an operation is, as whom (a key of the scene), and valid bodies: one per set
    of fields that go together, so every constrained field is in one of them."""

    method: str
    url: str
    caller: str
    bodies: list[dict[str, Any]]
    # Fields whose valid values may be refused for what else is true, not for their form
    # (the current password, what is left to refund, choices within the options, a time
    # zone name): only their outside values are held to the document.
    by_rule: frozenset[str] = frozenset()
    # Each request with a fresh ``Idempotency-Key`` (the route requires one).
    keyed: bool = False

    def headers(self, scene: dict[str, Any]) -> dict[str, str]:
        fresh = {"Idempotency-Key": str(uuid4())} if self.keyed else {}
        return {**scene[self.caller], **fresh}


@pytest.fixture
async def scene(client, adapters, fleet, manager, sign_in, taco_shift, restock, register_device):  # noqa: PLR0917
    """A stocked shift with an open ticket and a completed order, a device, an owner."""
    await restock(taco_shift, fleet.burrito, 50, manager)
    device = bearer((await register_device(fleet.taco, by=fleet.taco_manager)).credential)

    async def place() -> dict[str, Any]:
        url = f"/api/v1/shifts/{taco_shift.id}/orders"
        response = await client.post(url, json=order_body((fleet.burrito, 1)), headers=manager)
        assert response.status_code == 201, response.text
        return dict(response.json())

    served = await place()
    ticket = served["ticket"]
    for target in ("in_prep", "ready", "completed"):
        moved = await client.post(
            f"/api/v1/tickets/{ticket['id']}/transitions",
            json={"to": target, "version": ticket["version"]},
            headers=manager,
        )
        ticket = moved.json()
    group = await client.post(
        "/api/v1/menu/modifier-groups",
        json={"name": "Salsa", "options": [{"name": "Verde"}, {"name": "Roja"}]},
        headers=await sign_in(fleet.owner),
    )
    endpoint = await client.post(
        "/api/v1/webhooks/endpoints",
        json={"url": "https://93.184.215.14/hooks", "event_types": ["order.created"]},
        headers=await sign_in(fleet.owner),
    )
    token = await tracked(adapters, served["order"]["id"])
    review = await client.post(f"/api/v1/track/{token}/review", json={"stars": 4})
    assert review.status_code == 201, review.text
    return {
        "token": token,
        "review": review.json()["id"],
        "shift": taco_shift.id,
        "truck": fleet.taco.id,
        "curry": fleet.curry.id,
        "plaza": fleet.plaza.id,
        "item": fleet.burrito.id,
        "category": fleet.burrito.category_id,
        "group": group.json()["id"],
        "endpoint": endpoint.json()["id"],
        "open": (await place())["ticket"]["id"],
        "served": served["order"]["id"],
        "manager": manager,
        "owner": await sign_in(fleet.owner),
        "curry_manager": await sign_in(fleet.curry_manager),
        "device": device,
        "nobody": {},
        "crew": fleet.taco_crew.id,
        "customer": await customer_token(adapters, (await make_customer(adapters)).id),
    }


WINDOW = {"days": ["mon", "tue"], "start": "07:00", "end": "11:00"}
PLACE = {
    "name": "Plaza",
    "timezone": "Europe/Paris",
    "address": "1 Rue de Rivoli",
    "latitude": 48.85,
    "longitude": 2.35,
}
HOURS = {
    "weekly": [{"day": "mon", "opens": "09:00", "closes": "17:00"}],
    "exceptions": [{"date": "2026-12-25", "intervals": [{"opens": "10:00", "closes": "12:00"}]}],
}
# An opening time is well formed and still refused when it falls after the closing time.
HOURS_BY_RULE = frozenset(
    {
        "weekly[0].opens",
        "weekly[0].closes",
        "exceptions[0].intervals[0].opens",
        "exceptions[0].intervals[0].closes",
    }
)
OPTION = {"name": "Verde", "price_delta_cents": 50}
LIMITS = {
    "throttle": {"window_minutes": 15, "max_orders": 20, "max_items": 60},
    "slots": {"slot_minutes": 15, "orders_per_slot": 10},
}
# Each URL and body names the scene's records in braces.
# A URL the document allows (any non-blank text) is refused unless it is an https one
# reaching a public address: the rules of docs/webhooks.md.
WEBHOOK = {
    "url": "https://93.184.215.14/hooks",
    "event_types": ["order.created"],
    "description": "Books",
    "active": True,
}
CASES = {
    "queryGraphQL": Case(
        method="POST",
        url="/api/v1/graphql",
        caller="owner",
        bodies=[{"query": "query Trucks { trucks { total } }", "operationName": "Trucks"}],
    ),
    "createWebhookEndpoint": Case(
        method="POST",
        url="/api/v1/webhooks/endpoints",
        caller="owner",
        bodies=[WEBHOOK],
        by_rule=frozenset({"url"}),
    ),
    "changeWebhookEndpoint": Case(
        method="PATCH",
        url="/api/v1/webhooks/endpoints/{endpoint}",
        caller="owner",
        bodies=[WEBHOOK],
        by_rule=frozenset({"url"}),
    ),
    "replayWebhookDeliveries": Case(
        method="POST",
        url="/api/v1/webhooks/endpoints/{endpoint}/replay",
        caller="owner",
        bodies=[
            {"state": "dead", "since": "2026-01-01T00:00:00Z", "until": "2026-02-01T00:00:00Z"}
        ],
    ),
    "logIn": Case(
        method="POST",
        url="/api/v1/auth/login",
        caller="nobody",
        bodies=[{"email": "x@y.z", "password": "p"}],
    ),
    "requestPasswordReset": Case(
        method="POST",
        url="/api/v1/auth/password-reset",
        caller="nobody",
        bodies=[{"email": "x@y.zz"}],
    ),
    "resetPassword": Case(
        method="POST",
        url="/api/v1/auth/password-reset/confirm",
        caller="nobody",
        bodies=[{"token": "fxe_unknown", "password": "a new long password"}],
        by_rule=frozenset({"token"}),
    ),
    "acceptInvitation": Case(
        method="POST",
        url="/api/v1/auth/invitations/accept",
        caller="nobody",
        bodies=[{"token": "fxe_unknown", "password": "a new long password", "name": "Ana"}],
        by_rule=frozenset({"token"}),
    ),
    "confirmEmailChange": Case(
        method="POST",
        url="/api/v1/auth/email/confirm",
        caller="nobody",
        bodies=[{"token": "fxe_unknown"}],
        by_rule=frozenset({"token"}),
    ),
    "requestCustomerSignInCode": Case(
        method="POST",
        url="/api/v1/customer/sign-in/code",
        caller="nobody",
        bodies=[{"email": "x@y.zz", "locale": "es"}, {"phone": "+447700900123"}],
        by_rule=frozenset({"locale"}),
    ),
    "signInCustomer": Case(
        method="POST",
        url="/api/v1/customer/sign-in",
        caller="nobody",
        bodies=[{"email": "x@y.zz", "code": "123456"}, {"phone": "+447700900123", "code": "1"}],
        by_rule=frozenset({"code"}),
    ),
    "changeCustomerProfile": Case(
        method="PATCH",
        url="/api/v1/customer/me",
        caller="customer",
        bodies=[{"name": "Bea", "locale": "fr"}],
        by_rule=frozenset({"locale"}),
    ),
    "inviteStaff": Case(
        method="POST",
        url="/api/v1/staff/invitations",
        caller="owner",
        bodies=[
            {"email": "new@example.com", "name": "Ana", "role": "crew", "truck_ids": ["{truck}"]}
        ],
    ),
    "changeMyEmail": Case(
        method="POST",
        url="/api/v1/me/email",
        caller="manager",
        bodies=[{"new_email": "elsewhere@example.com", "password": PASSWORD}],
        by_rule=frozenset({"password"}),
    ),
    "recordHeartbeat": Case(
        method="POST",
        url="/api/v1/devices/heartbeat",
        caller="device",
        bodies=[
            {
                "app_version": "1",
                "os_version": "17",
                "last_seq": 0,
                "battery_percent": 50,
                "queue_depth": 0,
            }
        ],
    ),
    "registerPushToken": Case(
        method="PUT",
        url="/api/v1/devices/me/push-token",
        caller="device",
        bodies=[{"token": TOKEN, "app_version": "1", "os_version": "17", "platform": "ipados"}],
    ),
    "updateMe": Case(
        method="PATCH",
        url="/api/v1/me",
        caller="manager",
        bodies=[
            {
                "name": "Ana",
                "phone": "+447700900123",
                "notifications": {
                    "quiet_hours": {"start": "22:00", "end": "07:00", "timezone": "Europe/London"}
                },
            }
        ],
        by_rule=frozenset({"notifications.quiet_hours.timezone"}),
    ),
    "changeMyPassword": Case(
        method="POST",
        url="/api/v1/me/password",
        caller="manager",
        bodies=[{"current_password": PASSWORD, "new_password": "a new long password"}],
        by_rule=frozenset({"current_password"}),
    ),
    "addMenuCategory": Case(
        method="POST",
        url="/api/v1/menu/categories",
        caller="owner",
        bodies=[{"name": "Sides", "availability": [WINDOW]}],
    ),
    "reorderMenuCategories": Case(
        method="PUT",
        url="/api/v1/menu/categories/order",
        caller="owner",
        bodies=[{"category_ids": ["{category}"]}],
    ),
    "changeMenuCategory": Case(
        method="PATCH",
        url="/api/v1/menu/categories/{category}",
        caller="owner",
        bodies=[{"name": "Mains", "availability": [WINDOW]}],
    ),
    "reorderMenuItems": Case(
        method="PUT",
        url="/api/v1/menu/categories/{category}/items/order",
        caller="owner",
        bodies=[{"item_ids": ["{item}"]}],
    ),
    "addMenuItem": Case(
        method="POST",
        url="/api/v1/menu/items",
        caller="owner",
        bodies=[
            {
                "category_id": "{category}",
                "name": "Taco",
                "price_cents": 300,
                "description": "d",
                "tags": ["vegan"],
                "image_url": "https://cdn.example/taco.png",
                "availability": [WINDOW],
            }
        ],
    ),
    "changeMenuItem": Case(
        method="PATCH",
        url="/api/v1/menu/items/{item}",
        caller="owner",
        bodies=[
            {
                "name": "Burrito",
                "price_cents": 950,
                "description": "d",
                "tags": ["hot"],
                "image_url": "https://cdn.example/b.png",
                "availability": [WINDOW],
            }
        ],
    ),
    "setItemStockThreshold": Case(
        method="PUT",
        url="/api/v1/menu/items/{item}/low-stock-threshold",
        caller="owner",
        bodies=[{"threshold": 3}],
    ),
    "addModifierGroup": Case(
        method="POST",
        url="/api/v1/menu/modifier-groups",
        caller="owner",
        bodies=[{"name": "Heat", "options": [OPTION, {"name": "Hot"}], "max_choices": 1}],
        by_rule=CHOICES,
    ),
    "changeModifierGroup": Case(
        method="PATCH",
        url="/api/v1/menu/modifier-groups/{group}",
        caller="owner",
        bodies=[{"name": "Salsa", "options": [OPTION, {"name": "Roja"}], "min_choices": 0}],
        by_rule=CHOICES,
    ),
    "refundOrder": Case(
        method="POST",
        url="/api/v1/orders/{served}/refunds",
        caller="manager",
        bodies=[{"reason": "kitchen_error", "note": "cold", "lines": [{"line": 0, "quantity": 1}]}],
        by_rule=frozenset({"lines[0].line", "lines[0].quantity"}),
    ),
    "checkInTruck": Case(
        method="POST",
        url="/api/v1/shifts",
        caller="curry_manager",
        bodies=[{"truck_id": "{curry}", "location_id": "{plaza}"}],
    ),
    "setShiftCapacity": Case(
        method="PUT", url="/api/v1/shifts/{shift}/capacity", caller="manager", bodies=[LIMITS]
    ),
    "setTruckCapacity": Case(
        method="PUT", url="/api/v1/trucks/{truck}/capacity", caller="manager", bodies=[LIMITS]
    ),
    "checkOutShift": Case(
        method="POST",
        url="/api/v1/shifts/{shift}/checkout",
        caller="owner",
        bodies=[{"force": False, "reason": "rain"}],
    ),
    "adjustShiftStock": Case(
        method="POST",
        url="/api/v1/shifts/{shift}/inventory/adjustments",
        caller="manager",
        bodies=[
            # A correction may go either way, so both signs of ``delta`` stay inside.
            {"item_id": "{item}", "reason": "correction", "delta": 5, "note": "recount"},
            {"item_id": "{item}", "reason": "count", "count": 5},
        ],
    ),
    "placeOrder": Case(
        method="POST",
        url="/api/v1/shifts/{shift}/orders",
        caller="manager",
        bodies=[
            {
                "lines": [{"item_id": "{item}", "quantity": 1, "notes": "no onion"}],
                "customer_name": "Ana",
                "customer_phone": "+44 7700 900123",
                "customer_email": "ana@example.com",
            }
        ],
    ),
    "addShiftSpecial": Case(
        method="POST",
        url="/api/v1/shifts/{shift}/specials",
        caller="manager",
        bodies=[
            {
                "category_id": "{category}",
                "name": "Elote",
                "price_cents": 400,
                "stock": 5,
                "description": "d",
                "tags": ["corn"],
            }
        ],
    ),
    "setShiftStockThreshold": Case(
        method="PUT",
        url="/api/v1/shifts/{shift}/stock-thresholds/{item}",
        caller="manager",
        bodies=[{"threshold": 3}],
    ),
    "bulkAdvanceTickets": Case(
        method="POST",
        url="/api/v1/shifts/{shift}/tickets/bulk-advance",
        caller="manager",
        bodies=[{"ticket_ids": ["{open}"]}],
    ),
    "transitionTicket": Case(
        method="POST",
        url="/api/v1/tickets/{open}/transitions",
        caller="manager",
        bodies=[
            {
                "to": "cancelled",
                "version": 1,
                "cancel_reason": "customer_request",
                "reason": "changed mind",
            }
        ],
    ),
    "registerDevice": Case(
        method="POST",
        url="/api/v1/trucks/{truck}/devices",
        caller="manager",
        bodies=[{"label": "Grill", "platform": "ipados", "app_version": "1", "os_version": "17"}],
    ),
    "requestPairingCode": Case(
        method="POST",
        url="/api/v1/trucks/{truck}/pairing-codes",
        caller="manager",
        bodies=[{"label": "Pass tablet"}],
    ),
    "setTruckMenu": Case(
        method="PUT",
        url="/api/v1/trucks/{truck}/menu",
        caller="owner",
        bodies=[{"items": [{"item_id": "{item}", "price_cents": 900}]}],
    ),
    "setStaffRole": Case(
        method="PUT",
        url="/api/v1/staff/{crew}/role",
        caller="owner",
        bodies=[{"role": "crew"}, {"role": "manager"}],
    ),
    "createTruck": Case(
        method="POST", url="/api/v1/trucks", caller="owner", bodies=[{"name": "Bao Bus"}]
    ),
    "changeTruck": Case(
        method="PATCH", url="/api/v1/trucks/{curry}", caller="owner", bodies=[{"name": "Bao Bus"}]
    ),
    "createLocation": Case(
        method="POST",
        url="/api/v1/locations",
        caller="owner",
        bodies=[PLACE],
        by_rule=frozenset({"timezone"}),
    ),
    "changeLocation": Case(
        method="PATCH",
        url="/api/v1/locations/{plaza}",
        caller="owner",
        bodies=[PLACE, {"tax_rate_bp": 825, "tax_inclusive": False}],
        by_rule=frozenset({"timezone"}),
    ),
    "quoteCart": Case(
        method="POST",
        url="/api/v1/public/trucks/{truck}/cart/quote",
        caller="nobody",
        bodies=[{"lines": [{"item_id": "{item}", "quantity": 1, "notes": "no onion"}]}],
    ),
    "checkOut": Case(
        method="POST",
        url="/api/v1/public/trucks/{truck}/checkout",
        caller="nobody",
        keyed=True,
        bodies=[
            {
                "lines": [{"item_id": "{item}", "quantity": 1, "notes": "no onion"}],
                "customer_name": "Ana",
                "customer_phone": "+44 7700 900123",
                "customer_email": "ana@example.com",
                "locale": "es",
                "notify": True,
            }
        ],
    ),
    "setLocationHours": Case(
        method="PUT",
        url="/api/v1/locations/{plaza}/hours",
        caller="owner",
        bodies=[HOURS],
        by_rule=HOURS_BY_RULE,
    ),
    "setTruckHours": Case(
        method="PUT",
        url="/api/v1/trucks/{truck}/hours",
        caller="manager",
        bodies=[HOURS],
        by_rule=HOURS_BY_RULE,
    ),
    "reviewTrackedOrder": Case(
        method="POST",
        url="/api/v1/track/{token}/review",
        caller="nobody",
        bodies=[{"stars": 5, "comment": "Lovely"}],
    ),
    "changeTrackedOrderReview": Case(
        method="PATCH",
        url="/api/v1/track/{token}/review",
        caller="nobody",
        bodies=[{"stars": 3, "comment": "Fine"}],
    ),
    # Not this customer's order: the body is still read first, so its bounds answer.
    "reviewCustomerOrder": Case(
        method="POST",
        url="/api/v1/customer/orders/{served}/review",
        caller="customer",
        bodies=[{"stars": 5, "comment": "Lovely"}],
    ),
    "changeCustomerOrderReview": Case(
        method="PATCH",
        url="/api/v1/customer/orders/{served}/review",
        caller="customer",
        bodies=[{"stars": 3, "comment": "Fine"}],
    ),
    "hideReview": Case(
        method="POST",
        url="/api/v1/reviews/{review}/hide",
        caller="manager",
        bodies=[{"reason": "abusive"}],
    ),
}


def _named(value: Any, scene: dict[str, Any]) -> Any:
    """``value`` with each ``{record}`` replaced by the scene's id for it."""
    if isinstance(value, dict):
        return {k: _named(v, scene) for k, v in value.items()}
    if isinstance(value, list):
        return [_named(v, scene) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return str(scene[value[1:-1]])
    return value


# Operations with a body that is not JSON, or described elsewhere.
NOT_JSON = {"recordSmsStatus"}


async def test_every_operation_with_a_body_is_probed(client):
    document = (await client.get("/schema/openapi.json")).json()
    with_bodies = {
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "requestBody" in operation
    }

    assert with_bodies - NOT_JSON == set(CASES)


@pytest.mark.parametrize("operation_id", sorted(CASES))
async def test_the_server_accepts_what_the_document_allows(client, scene, operation_id):
    document = (await client.get("/schema/openapi.json")).json()
    operation = _operation(document, operation_id)
    body_schema = next(iter(operation["requestBody"]["content"].values()))["schema"]
    case = CASES[operation_id]
    url = case.url.format(**scene)
    disagreements = []
    for body in case.bodies:
        base = _named(body, scene)
        for probe in _probes(document, body_schema, base, ()):
            response = await client.request(
                case.method, url, json=_with(base, probe), headers=case.headers(scene)
            )
            named = response.status_code == 422 and probe.label in _fields(response.json())
            if named == probe.inside and not (probe.inside and probe.label in case.by_rule):
                side = "inside" if probe.inside else "outside"
                outcome = f"{response.status_code} {response.text[:200]}"
                disagreements.append(f"{probe.label}={str(probe.value)[:40]!r} ({side}): {outcome}")
    assert disagreements == []


def _operation(document: dict[str, Any], operation_id: str) -> dict[str, Any]:
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return operation
    raise AssertionError(operation_id)


def _fields(problem: dict[str, Any]) -> list[str]:
    return [error["field"] for error in problem.get("errors", ())]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    branches = [
        b for b in schema.get("anyOf") or schema.get("oneOf") or () if b.get("type") != "null"
    ]
    if len(branches) == 1:
        return _resolve(document, branches[0])
    return schema


def _probes(
    document: dict[str, Any], schema: dict[str, Any], value: Any, path: tuple[str | int, ...]
) -> Iterator[Probe]:
    schema = _resolve(document, schema)
    if isinstance(value, dict):
        for name, inner in value.items():
            if name in schema.get("properties", {}):
                yield from _probes(document, schema["properties"][name], inner, (*path, name))
        return
    if isinstance(value, list):
        if value and "items" in schema:
            yield from _probes(document, schema["items"], value[0], (*path, 0))
        return
    label = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    for probe_value, inside in _values(schema):
        yield Probe(label=label, path=path, value=probe_value, inside=inside)


def _values(schema: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    """Values on each side of each documented bound; where none is documented, values far
    out, which the server must then take too."""
    if "enum" in schema:
        yield from ((value, True) for value in schema["enum"])
        yield ("not-one-of-them", False)
    elif schema.get("type") == "integer":
        yield from _integers(schema)
    elif schema.get("type") == "string" and "format" not in schema:
        yield from _strings(schema)


def _integers(schema: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    if "minimum" in schema:
        yield from ((schema["minimum"], True), (schema["minimum"] - 1, False))
    else:
        yield from ((-1, True), (-(2**31), True))
    if "maximum" in schema:
        yield from ((schema["maximum"], True), (schema["maximum"] + 1, False))
    else:
        yield (2**31, True)


def _strings(schema: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    pattern = schema.get("pattern")
    if pattern not in {None, BLANK}:
        inside, outside = PATTERNS[pattern]
        yield from ((value, True) for value in inside)
        yield from ((value, False) for value in outside)
        return
    yield (" " * max(3, schema.get("minLength", 0)), pattern is None)
    if "minLength" in schema:
        yield ("x" * schema["minLength"], True)
        if schema["minLength"] > 1:
            yield ("x" * (schema["minLength"] - 1), False)
    if "maxLength" in schema:
        yield ("x" * schema["maxLength"], True)
        yield ("x" * (schema["maxLength"] + 1), False)
    else:
        yield ("x" * 5000, True)


def _with(base: Any, probe: Probe) -> Any:
    body = copy.deepcopy(base)
    target = body
    for key in probe.path[:-1]:
        target = target[key]
    target[probe.path[-1]] = probe.value
    return body
