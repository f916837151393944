"""The GraphQL read side answers every caller what the REST read of the same thing does.

One scene per backend (memory, SQLite, PostgreSQL; ``tests.support.hostile``): every query
field is asked by an owner, Taco Titan's manager, crew and device, Curry On's manager and
device, and a signed-in customer, and each answer is compared with the REST route's to
the same caller: allowed with the same items, or refused with the same code and the same
words. Then the limits: too deep, too costly and hostile requests are refused, each with
a clear error and never a 500, before anything is read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from fusionx.adapters.rate_limits.limits_limiter import LimitsRateLimiter
from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret, new_secret
from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.graphql_api.errors import CODES
from fusionx.entrypoints.http.graphql_api.limits import MAX_COST, MAX_DEPTH
from fusionx.entrypoints.http.graphql_api.schema import schema_sdl
from fusionx.entrypoints.settings import Settings
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from tests.factories import make_staff
from tests.support.customers import make_customer
from tests.support.databases import migrated, migrated_postgres
from tests.support.hostile import Scene, memory_adapters, scene_on, sql_backend

GRAPHQL = "/api/v1/graphql"
SDL = Path(__file__).parents[2] / "docs" / "api" / "schema.graphql"
Headers = dict[str, str]


class CountingUnits:
    """A unit-of-work factory that counts the units it makes."""

    def __init__(self, units: UnitOfWorkFactory) -> None:
        self._units = units
        self.made = 0

    def __call__(self) -> UnitOfWork:
        self.made += 1
        return self._units()


@dataclass(frozen=True)
class World:
    scene: Scene
    callers: dict[str, Headers]
    reader: CountingUnits
    writer: CountingUnits

    async def graphql(
        self, query: str, caller: str = "owner", variables: dict[str, Any] | None = None
    ) -> Any:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return await self.scene.client.post(GRAPHQL, json=body, headers=self.callers[caller])


async def _credential(adapters: Adapters, kind: PrincipalKind, subject_id: UUID) -> Headers:
    secret = new_secret(kind)
    token = AccessToken(
        id=adapters.ids.new_id(),
        token_hash=hash_secret(secret),
        kind=kind,
        subject_id=subject_id,
        created_at=adapters.clock.now(),
    )
    async with adapters.uow() as uow:
        await uow.tokens.add(token)
        await uow.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture(
    scope="module",
    params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
async def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Adapters]:
    if request.param == "memory":
        yield memory_adapters()
        return
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("graphql") / "fusionx.db"
        opened = migrated(f"sqlite+aiosqlite:///{path}")
    else:
        opened = migrated_postgres()
    async with opened as database:
        await database.empty()
        async with sql_backend(database.url) as adapters:
            yield adapters


@pytest.fixture(scope="module")
async def world(backend: Adapters) -> AsyncIterator[World]:
    reader, writer = CountingUnits(backend.reader), CountingUnits(backend.uow)
    # The limit has a test of its own (below); the scene's many requests stay within it.
    roomy = LimitsRateLimiter.in_memory("100000/minute")
    adapters = replace(backend, reader=reader, uow=writer, public_rate_limiter=roomy)
    async with scene_on(adapters) as scene:
        taco, curry = scene.taco, scene.curry

        async def device_of(truck_id: UUID) -> UUID:
            answer = await scene.client.post(
                f"/api/v1/trucks/{truck_id}/devices",
                json={"label": "Pass", "platform": "ipados", "app_version": "1.0",
                      "os_version": "17.5"},
                headers=scene.owner_headers,
            )  # fmt: skip
            assert answer.status_code == 201, answer.text
            return UUID(answer.json()["device"]["id"])

        staff, device = PrincipalKind.STAFF, PrincipalKind.DEVICE
        taco_manager = await make_staff(adapters, role=Role.MANAGER, trucks=[taco])
        taco_crew = await make_staff(adapters, role=Role.CREW, trucks=[taco])
        customer = await make_customer(adapters)
        callers = {
            "owner": await _credential(adapters, staff, scene.owner.id),
            "taco manager": await _credential(adapters, staff, taco_manager.id),
            "curry manager": await _credential(adapters, staff, scene.curry_manager.id),
            "taco crew": await _credential(adapters, staff, taco_crew.id),
            "taco device": await _credential(adapters, device, await device_of(taco.id)),
            "curry device": await _credential(adapters, device, await device_of(curry.id)),
            "customer": await _credential(adapters, PrincipalKind.CUSTOMER, customer.id),
        }
        yield World(scene=scene, callers=callers, reader=reader, writer=writer)


# --- each field, each caller: what REST gives ------------------------------------------

CALLERS = [
    "owner",
    "taco manager",
    "curry manager",
    "taco crew",
    "taco device",
    "curry device",
    "customer",
]


@dataclass(frozen=True)
class Case:
    """A query field and the REST read it stands for; ``{truck_id}`` and the like are
    filled from the scene."""

    field: str
    query: str
    rest: str
    # What the REST answer's items are listed under, or None for one thing.
    items: str | None = "items"


CASES = [
    Case("trucks", "{ trucks { total items { id name } } }", "/api/v1/trucks"),
    Case("truck", '{ truck(id: "{truck_id}") { id name } }', "/api/v1/trucks/{truck_id}", None),
    Case("locations", "{ locations { total items { id } } }", "/api/v1/locations"),
    Case("staff", "{ staff { total items { id } } }", "/api/v1/staff"),
    Case(
        "truckDevices",
        '{ truckDevices(truckId: "{truck_id}") { total items { id status } } }',
        "/api/v1/trucks/{truck_id}/devices",
    ),
    Case("shifts", "{ shifts { nextCursor items { id } } }", "/api/v1/shifts"),
    Case(
        "shifts",
        '{ shifts(truckId: "{truck_id}") { items { id truck { name } } } }',
        "/api/v1/shifts?truck_id={truck_id}",
    ),
    Case("orders", "{ orders { items { id totalCents } } }", "/api/v1/orders"),
    Case(
        "orders",
        '{ orders(truckId: "{truck_id}", limit: 2) { nextCursor items { id truck { id } } } }',
        "/api/v1/orders?truck_id={truck_id}&limit=2",
    ),
    Case("audit", "{ audit { total items { seq action at data } } }", "/api/v1/audit"),
    Case(
        "audit",
        '{ audit(truckId: "{truck_id}") { items { seq actor { id } truckId } } }',
        "/api/v1/audit?truck_id={truck_id}",
    ),
    Case(
        "webhookEndpoints",
        "{ webhookEndpoints { total items { id url createdBy { id } } } }",
        "/api/v1/webhooks/endpoints",
    ),
    Case(
        "order",
        '{ order(id: "{order_id}") { id totalCents customerPhone lines { quantity } } }',
        "/api/v1/orders/{order_id}",
        None,
    ),
]


def _filled(text: str, scene: Scene) -> str:
    for name in ("truck_id", "order_id"):
        text = text.replace("{" + name + "}", str(scene.ids[name]))
    return text


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.rest)
async def test_each_field_gives_each_caller_what_its_rest_route_gives(
    world: World, case: Case, caller: str
) -> None:
    scene, headers = world.scene, world.callers[caller]
    rest = await scene.client.get(_filled(case.rest, scene), headers=headers)
    answer = await world.graphql(_filled(case.query, scene), caller)

    if rest.status_code == 403 and caller == "customer":
        # A customer's credential opens none of the fleet's routes, this one included.
        assert answer.status_code == 403, answer.text
        assert answer.json()["detail"] == rest.json()["detail"]
        return
    assert answer.status_code == 200, answer.text
    body = answer.json()
    if rest.status_code == 200:
        assert "errors" not in body, body
        got, expected = body["data"][case.field], rest.json()
        if case.items is None:
            assert got["id"] == expected["id"]
        else:
            key = "seq" if case.field == "audit" else "id"
            assert [i[key] for i in got["items"]] == [i[key] for i in expected["items"]]
            assert got["items"] or caller != "owner", "the scene gives the owner something"
    else:
        assert body["data"] == {case.field: None}
        [error] = body["errors"]
        assert error["extensions"]["code"] == CODES[rest.status_code], (rest.text, error)
        assert error["message"] == rest.json()["detail"]
        assert error["path"] == [case.field]


@pytest.mark.parametrize("caller", ["owner", "taco device"])
async def test_the_customer_contact_is_shown_as_rest_shows_it(world: World, caller: str) -> None:
    """Staff see the customer's phone and email, a kitchen device never."""
    scene = world.scene
    query = _filled(
        '{ order(id: "{order_id}") { customerName customerPhone customerEmail } }', scene
    )
    order = (await world.graphql(query, caller)).json()["data"]["order"]
    rest = await scene.client.get(
        _filled("/api/v1/orders/{order_id}", scene), headers=world.callers[caller]
    )

    customer = rest.json()["customer"]
    assert order == {
        "customerName": customer["name"],
        "customerPhone": customer["phone"],
        "customerEmail": customer["email"],
    }


async def test_one_field_refused_leaves_the_others_answered(world: World) -> None:
    answer = await world.graphql("{ staff { total } orders { items { id } } }", "taco crew")
    body = answer.json()

    assert body["data"] == {"staff": None, "orders": None}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    answer = await world.graphql("{ trucks { total } staff { total } }", "taco crew")
    assert answer.json()["data"]["trucks"]["total"] == 1
    assert answer.json()["data"]["staff"] is None


async def test_pages_follow_the_rest_cursor(world: World) -> None:
    query = "query($after: String) { orders(limit: 1, after: $after) { nextCursor items { id } } }"
    seen: list[str] = []
    after = None
    while True:
        page = (await world.graphql(query, variables={"after": after})).json()["data"]["orders"]
        seen += [item["id"] for item in page["items"]]
        if (after := page["nextCursor"]) is None:
            break
    rest = await world.scene.client.get("/api/v1/orders?limit=200", headers=world.callers["owner"])
    assert seen == [item["id"] for item in rest.json()["items"]]


async def test_money_is_in_cents_and_times_in_utc(world: World) -> None:
    query = "{ orders(limit: 1) { items { totalCents createdAt } } }"
    [item] = (await world.graphql(query)).json()["data"]["orders"]["items"]

    assert isinstance(item["totalCents"], int)
    assert item["createdAt"].endswith("+00:00")


# --- reads only, and in batches ------------------------------------------------------

EVERY_FIELD = """{
  trucks { items { id } } locations { items { id } } staff { items { id } }
  truckDevices(truckId: "{truck_id}") { items { id } }
  shifts { items { id truck { name } location { name } } }
  orders { items { id truck { name } } }
  order(id: "{order_id}") { id }
  audit { items { seq } } webhookEndpoints { items { id } }
}"""


async def test_every_field_reads_and_nothing_writes(world: World) -> None:
    await world.graphql("{ trucks { total } }")  # the credential's first use is noted
    writes = world.writer.made

    answer = await world.graphql(_filled(EVERY_FIELD, world.scene))

    assert "errors" not in answer.json(), answer.text
    assert world.writer.made == writes, "a GraphQL query opened a writing unit of work"


async def test_an_idempotency_key_is_not_kept_as_a_read_changes_nothing(world: World) -> None:
    headers = {**world.callers["owner"], "Idempotency-Key": "graphql-retry-0001"}
    await world.graphql("{ trucks { total } }")  # the credential's first use is noted
    writes = world.writer.made
    answers = [
        await world.scene.client.post(
            GRAPHQL, json={"query": "{ trucks { total } }"}, headers=headers
        )
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [200, 200]
    assert "Idempotent-Replayed" not in answers[1].headers
    assert world.writer.made == writes


async def test_the_truck_of_every_row_is_read_in_one_batch(world: World) -> None:
    async def reads(limit: int) -> int:
        before = world.reader.made
        query = f"{{ orders(limit: {limit}) {{ items {{ truck {{ name }} }} }} }}"
        answer = await world.graphql(query)
        assert "errors" not in answer.json(), answer.text
        return world.reader.made - before

    rows = len((await world.graphql("{ orders(limit: 200) { items { id } } }")).json()
               ["data"]["orders"]["items"])  # fmt: skip
    assert rows > 1, "the scene has several orders"

    assert await reads(rows) == await reads(1)


# --- limits and hostile requests -----------------------------------------------------


async def test_a_query_nested_too_deep_is_refused_before_it_is_parsed(world: World) -> None:
    """The schema has no cycle today, so no valid query nests past the limit (its
    ``Measure`` is proven on one that has: tests/http/test_graphql_limits.py); a document
    nested past it is refused unparsed, whatever its fields."""
    fine = "{ orders { items { truck { name } } } }"
    assert "errors" not in (await world.graphql(fine)).json()
    deep = "{ trucks { items " + "{ id " * (3 * MAX_DEPTH) + "}" * (3 * MAX_DEPTH) + " } }"

    before = world.reader.made
    answer = await world.graphql(deep)

    body = answer.json()
    assert answer.status_code == 200
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert str(MAX_DEPTH) in error["message"]
    assert world.reader.made == before + 1, "only the credential was read"


async def test_a_query_too_costly_is_refused_before_it_reads(world: World) -> None:
    cheap = "{ orders(limit: 100) { items { truck { name } } } }"  # 100 x 3
    assert "errors" not in (await world.graphql(cheap)).json()
    costly = (
        "{ "
        + " ".join(f"o{n}: orders(limit: 200) {{ items {{ truck {{ name }} }} }}" for n in range(3))
        + " }"
    )  # 3 x 200 x 3

    before = world.reader.made
    answer = await world.graphql(costly)
    by_variable = await world.graphql(
        "query($n: Int!) { a: orders(limit: $n) { items { truck { name } } } "
        "b: orders(limit: $n) { items { truck { name } } } }",
        variables={"n": 200},
    )

    for refused in (answer, by_variable):
        body = refused.json()
        assert refused.status_code == 200
        assert body["data"] is None
        [error] = body["errors"]
        assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
        assert f"{MAX_COST:,}" in error["message"]
    assert world.reader.made == before + 2, "only the credentials were read"


HOSTILE: list[tuple[str, dict[str, Any]]] = [
    ("syntax", {"query": "{ trucks { "}),
    ("unknown field", {"query": "{ nothing }"}),
    ("mutation", {"query": "mutation { trucks { total } }"}),
    ("subscription", {"query": "subscription { trucks { total } }"}),
    ("introspection", {"query": "{ __schema { types { name } } }"}),
    ("bad variable", {"query": "query($n: Int!) { trucks(limit: $n) { total } }",
                      "variables": {"n": "many"}}),
    ("huge variable", {"query": "query($n: Int!) { trucks(limit: $n) { total } }",
                       "variables": {"n": 2**40}}),
    ("limit out of range", {"query": "{ trucks(limit: 100000) { total } }"}),
    ("negative offset", {"query": "{ trucks(offset: -1) { total } }"}),
    ("bad uuid", {"query": '{ truck(id: "not-a-uuid") { id } }'}),
    ("bad cursor", {"query": '{ orders(after: "garbage") { items { id } } }'}),
    ("bad date", {"query": '{ orders(fromDate: "2026-13-45") { items { id } } }'}),
    ("long search", {"query": '{ orders(q: "' + "x" * 500 + '") { items { id } } }'}),
    ("nul", {"query": '{ trucks(search: "a\\u0000b") { total } }'}),
    ("deep brackets", {"query": "{" * 2000 + "}" * 2000}),
    ("deep list", {"query": "query($v: Int = " + "[" * 3000 + "]" * 3000 + ") { __typename }"}),
    ("many tokens", {"query": "{ " + "__typename " * 3000 + "}"}),
    ("many aliases", {"query": "{ " + " ".join(f"a{n}: __typename" for n in range(50)) + " }"}),
    ("fragment bomb", {"query": "query { ...F0 } "
                       + " ".join(f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}"
                                  for n in range(40))
                       + " fragment F40 on Query { trucks { total } }"}),
    ("fragment cycle", {"query": "query { ...A } fragment A on Query { ...B } "
                        "fragment B on Query { ...A }"}),
    ("two operations", {"query": "query A { trucks { total } } query B { staff { total } }"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "body"), HOSTILE, ids=[name for name, _ in HOSTILE])
async def test_hostile_requests_get_an_error_never_a_500(
    world: World, name: str, body: dict[str, Any]
) -> None:
    answer = await world.scene.client.post(GRAPHQL, json=body, headers=world.callers["owner"])

    assert answer.status_code in (200, 400, 413, 422), (name, answer.text)
    if answer.status_code == 200:
        errors = answer.json()["errors"]
        assert errors, name
        assert all(e["extensions"]["code"] != "INTERNAL_SERVER_ERROR" for e in errors), errors
    else:
        assert answer.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"query": 1}', b'{"query": "{ trucks { total } }", "extra": 1}',
     b'{"variables": {}}', b'{"query": "{ trucks { total } }", "variables": "x"}'],
)  # fmt: skip
async def test_a_body_that_is_not_a_graphql_request_is_a_problem(world: World, body: bytes) -> None:
    answer = await world.scene.client.post(
        GRAPHQL,
        content=body,
        headers={**world.callers["owner"], "content-type": "application/json"},
    )

    assert answer.status_code in (400, 422), answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_without_a_credential_nothing_is_answered(world: World) -> None:
    answer = await world.scene.client.post(GRAPHQL, json={"query": "{ trucks { total } }"})

    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_errors_are_written_in_the_readers_language(world: World) -> None:
    headers = {**world.callers["taco crew"], "Accept-Language": "fr"}
    answer = await world.scene.client.post(
        GRAPHQL, json={"query": "{ staff { total } }"}, headers=headers
    )
    rest = await world.scene.client.get("/api/v1/staff", headers=headers)

    assert answer.json()["errors"][0]["message"] == rest.json()["detail"]
    assert rest.headers["content-language"] == "fr"


async def test_queries_count_against_the_public_rate_limit(world: World) -> None:
    tight = replace(
        world.scene.adapters, public_rate_limiter=LimitsRateLimiter.in_memory("2/minute")
    )
    app = create_app(Settings(), tight)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client:
        answers = [
            await client.post(
                GRAPHQL, json={"query": "{ trucks { total } }"}, headers=world.callers["owner"]
            )
            for _ in range(3)
        ]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "RateLimit-Remaining" in answers[0].headers


# --- the published schema -------------------------------------------------------------


def test_the_published_schema_is_the_served_one() -> None:
    assert SDL.read_text() == schema_sdl(), (
        "docs/api/schema.graphql is out of date: run `fusionx schema`"
    )
