"""Public browsing without signing in: trucks near a point, a truck's page, its menu.

The staff-data walker is generated from the app's routes under ``/api/v1/public``: a
public route added later is walked too, on memory and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.shifts import Shift
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.rules.capacity import DEFAULT_PREP
from fusionx.core.use_cases.commands.check_in_truck import CheckInRequest, CheckInTruck
from fusionx.core.use_cases.commands.create_location import CreateLocation, CreateLocationRequest
from fusionx.core.use_cases.commands.set_truck_active import SetTruckActive
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.rate_limits import OPT_KEY, PUBLIC_RATE_LIMIT
from tests.factories import make_truck
from tests.http.conftest import Fleet, Headers, as_staff, place
from tests.support.hostile import Scene, all_operations, memory_adapters, scene_on

PUBLIC = "/api/v1/public/trucks"
# Monday 1 June 2026, 12:00 in Paris (UTC+2).
NOON_IN_PARIS = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
QUAY = (48.8566, 2.3522)
PARK = (48.8666, 2.3522)  # 1.1 km north of the quay
FAR = (49.13, 2.3522)  # 30 km north
# Field names that would give away what only staff may see.
DENIED = ("on_hand", "stock", "threshold", "cost", "email", "phone", "staff", "actor", "by",
          "password", "credential", "device", "note", "reason")  # fmt: skip

Where = Callable[..., Awaitable[Location]]
CheckIn = Callable[..., Awaitable[Shift]]


@pytest.fixture
def where(adapters: Adapters) -> Where:
    async def where(name: str, at: tuple[float, float]) -> Location:
        request = CreateLocationRequest(
            name=name, timezone="Europe/Paris", latitude=at[0], longitude=at[1]
        )
        return await CreateLocation(adapters.uow(), adapters.clock, adapters.ids).execute(
            None, request
        )

    return where


@pytest.fixture
def check_in_at(adapters: Adapters, fleet: Fleet) -> CheckIn:
    async def check_in_at(truck: Truck, location: Location) -> Shift:
        use_case = CheckInTruck(adapters.uow(), adapters.clock, adapters.ids)
        request = CheckInRequest(truck_id=truck.id, location_id=location.id)
        return await use_case.execute(as_staff(fleet.owner), request)

    return check_in_at


@pytest.fixture
def noon(clock: ManualClock) -> None:
    clock.set(NOON_IN_PARIS)


def near(at: tuple[float, float], **query: Any) -> dict[str, Any]:
    return {"lat": at[0], "lon": at[1], **query}


async def test_lists_open_trucks_nearest_first_with_hours_and_wait(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    where: Where,
    check_in_at: CheckIn,
    sign_in: Callable[..., Awaitable[Headers]],
    restock: Callable[..., Awaitable[None]],
    noon: None,
) -> None:
    quay, park = await where("Quay", QUAY), await where("Park", PARK)
    taco_shift = await check_in_at(fleet.taco, park)
    await check_in_at(fleet.curry, quay)
    manager = await sign_in(fleet.taco_manager)
    await restock(taco_shift, fleet.burrito, 1, manager)
    await place(client, taco_shift, manager, (fleet.burrito, 1))

    response = await client.get(PUBLIC, params=near(QUAY))

    assert response.status_code == 200, response.text
    curry, taco = response.json()["items"]
    assert (curry["name"], curry["distance_m"]) == ("Curry On", 0)
    assert (taco["name"], 1000 < taco["distance_m"] < 1200) == ("Taco Titan", True)
    assert taco["location"] == {
        "id": str(park.id), "name": "Park", "address": None,
        "latitude": PARK[0], "longitude": PARK[1], "timezone": "Europe/Paris",
    }  # fmt: skip
    # No hours set: open the whole local day, midnight to midnight in Paris.
    assert taco["hours_today"] == [
        {"opens_at": "2026-05-31T22:00:00Z", "closes_at": "2026-06-01T22:00:00Z"}
    ]
    assert (taco["open_now"], taco["taking_orders"]) == (True, True)
    # The promise an order placed now would get: one ticket ahead, then its own.
    assert taco["wait_seconds"] == 2 * DEFAULT_PREP.total_seconds()
    assert curry["wait_seconds"] == DEFAULT_PREP.total_seconds()
    assert response.json()["total"] == 2


async def test_a_paused_truck_is_listed_but_takes_no_orders(
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    where: Where,
    check_in_at: CheckIn,
    sign_in: Callable[..., Awaitable[Headers]],
) -> None:
    shift = await check_in_at(fleet.taco, await where("Quay", QUAY))
    paused = await client.post(
        f"/api/v1/shifts/{shift.id}/pause", headers=await sign_in(fleet.taco_manager)
    )
    assert paused.status_code == 200, paused.text

    [taco] = (await client.get(PUBLIC, params=near(QUAY))).json()["items"]

    assert (taco["taking_orders"], taco["wait_seconds"]) == (False, None)


async def test_leaves_out_the_far_the_closed_for_today_and_the_retired(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    where: Where,
    check_in_at: CheckIn,
    sign_in: Callable[..., Awaitable[Headers]],
    noon: None,
    adapters: Adapters,
) -> None:
    quay = await where("Quay", QUAY)
    await check_in_at(fleet.taco, await where("Far", FAR))
    await check_in_at(fleet.curry, quay)
    evening, morning = await make_truck(adapters, "Evening"), await make_truck(adapters, "Morning")
    await check_in_at(evening, quay)
    await check_in_at(morning, quay)
    retired = await make_truck(adapters, "Retired")
    await SetTruckActive(adapters.uow(), adapters.clock).deactivate(
        as_staff(fleet.owner), retired.id
    )
    owner = await sign_in(fleet.owner)
    for truck, opens, closes in ((evening, "18:00", "22:00"), (morning, "08:00", "11:00")):
        hours = {"weekly": [{"day": "mon", "opens": opens, "closes": closes}]}
        put = await client.put(f"/api/v1/trucks/{truck.id}/hours", json=hours, headers=owner)
        assert put.status_code == 200, put.text

    listed = (await client.get(PUBLIC, params=near(QUAY, radius_km=5))).json()["items"]

    assert [truck["name"] for truck in listed] == ["Curry On", "Evening"]
    late = listed[1]
    assert (late["open_now"], late["open_later_today"]) == (False, True)
    assert late["hours_today"] == [
        {"opens_at": "2026-06-01T16:00:00Z", "closes_at": "2026-06-01T20:00:00Z"}
    ]
    wider = (await client.get(PUBLIC, params=near(QUAY, radius_km=50))).json()["items"]
    assert [truck["name"] for truck in wider] == ["Curry On", "Evening", "Taco Titan"]


async def test_pages_the_list(
    client: AsyncTestClient[Litestar], fleet: Fleet, where: Where, check_in_at: CheckIn
) -> None:
    quay, park = await where("Quay", QUAY), await where("Park", PARK)
    await check_in_at(fleet.taco, park)
    await check_in_at(fleet.curry, quay)

    page = (await client.get(PUBLIC, params=near(QUAY, limit=1, offset=1))).json()

    assert ([t["name"] for t in page["items"]], page["total"]) == (["Taco Titan"], 2)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lat": 91, "lon": 2}, "lat"),
        ({"lat": "north", "lon": 2}, "lat"),
        ({"lon": 2}, "lat"),
        ({"lat": 48, "lon": 181}, "lon"),
        ({"lat": 48}, "lon"),
        ({"lat": 48, "lon": 2, "radius_km": 0}, "radius_km"),
        ({"lat": 48, "lon": 2, "radius_km": 51}, "radius_km"),
        ({"lat": 48, "lon": 2, "radius_km": "far"}, "radius_km"),
        ({"lat": 48, "lon": 2, "limit": 0}, "limit"),
    ],
)
async def test_bad_input_is_a_problem_naming_the_field(
    client: AsyncTestClient[Litestar], query: dict[str, Any], field: str
) -> None:
    response = await client.get(PUBLIC, params=query)

    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [error.get("field", error.get("key")) for error in response.json()["errors"]]


async def test_a_truck_page_shows_it_where_it_is_or_nowhere(
    client: AsyncTestClient[Litestar], fleet: Fleet, where: Where, check_in_at: CheckIn
) -> None:
    park = await where("Park", PARK)
    await check_in_at(fleet.taco, park)

    taco = await client.get(f"{PUBLIC}/{fleet.taco.id}")
    curry = await client.get(f"{PUBLIC}/{fleet.curry.id}")

    assert taco.status_code == 200, taco.text
    assert (taco.json()["location"]["name"], taco.json()["distance_m"]) == ("Park", None)
    assert curry.status_code == 200, curry.text
    assert curry.json() | {"id": None} == {
        "id": None, "name": "Curry On", "location": None, "hours_today": [], "open_now": False,
        "open_later_today": False, "taking_orders": False, "wait_seconds": None,
        "distance_m": None, "rating": {"count": 0, "mean": None},
    }  # fmt: skip


async def test_unknown_and_retired_trucks_are_not_found(
    client: AsyncTestClient[Litestar], fleet: Fleet, adapters: Adapters
) -> None:
    retired = await make_truck(adapters, "Retired")
    await SetTruckActive(adapters.uow(), adapters.clock).deactivate(
        as_staff(fleet.owner), retired.id
    )

    for truck_id in (uuid4(), retired.id):
        for tail in ("", "/menu"):
            response = await client.get(f"{PUBLIC}/{truck_id}{tail}")
            assert response.status_code == 404, (tail, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_menu_of_a_truck_not_checked_in_is_not_found(
    client: AsyncTestClient[Litestar], fleet: Fleet
) -> None:
    response = await client.get(f"{PUBLIC}/{fleet.taco.id}/menu")

    assert response.status_code == 404, response.text


async def test_the_menu_is_cacheable_and_its_etag_moves_with_a_sell_out(
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    restock: Callable[..., Awaitable[None]],
) -> None:
    await restock(taco_shift, fleet.burrito, 1, manager)
    await restock(taco_shift, fleet.horchata, 5, manager)
    menu_url = f"{PUBLIC}/{fleet.taco.id}/menu"

    first = await client.get(menu_url)
    etag = first.headers["etag"]
    again = await client.get(menu_url, headers={"If-None-Match": etag})
    await place(client, taco_shift, manager, (fleet.burrito, 1))
    after = await client.get(menu_url, headers={"If-None-Match": etag})

    assert first.status_code == 200, first.text
    assert etag.startswith('W/"')
    assert cache_directives(first) == {"public", "max-age=15", "stale-while-revalidate=30"}
    assert "authorization" not in first.headers.get("vary", "").lower()
    assert sold_out(first.json()) == {"Burrito": False, "Horchata": False, "Quesadilla": True}
    assert (again.status_code, again.headers["etag"], again.content) == (304, etag, b"")
    assert after.status_code == 200
    assert after.headers["etag"] != etag
    assert sold_out(after.json())["Burrito"] is True


async def test_the_menu_etag_moves_when_the_truck_menu_changes(
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
) -> None:
    menu_url = f"{PUBLIC}/{fleet.taco.id}/menu"
    etag = (await client.get(menu_url)).headers["etag"]
    body = {"items": [{"item_id": str(fleet.burrito.id), "price_cents": 1100}]}
    put = await client.put(f"/api/v1/trucks/{fleet.taco.id}/menu", json=body, headers=manager)
    assert put.status_code == 200, put.text

    changed = await client.get(menu_url, headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    [[burrito]] = [c["items"] for c in changed.json()["categories"]]
    assert (burrito["name"], burrito["price_cents"]) == ("Burrito", 1100)


async def test_the_menu_etag_moves_when_an_item_comes_into_its_window(  # noqa: PLR0917
    noon: None,
    clock: ManualClock,
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    taco_shift: Shift,
    sign_in: Callable[..., Awaitable[Headers]],
) -> None:
    lunch = {"availability": [{"days": ["mon"], "start": "12:30", "end": "15:00"}]}
    patched = await client.patch(
        f"/api/v1/menu/items/{fleet.burrito.id}", json=lunch, headers=await sign_in(fleet.owner)
    )
    assert patched.status_code == 200, patched.text
    menu_url = f"{PUBLIC}/{fleet.taco.id}/menu"
    before = await client.get(menu_url)

    clock.advance(timedelta(minutes=45))  # no event: only the clock moves
    after = await client.get(menu_url, headers={"If-None-Match": before.headers["etag"]})

    assert burrito(before.json())["available"] is False
    assert burrito(before.json())["available_from"] == "2026-06-01T10:30:00Z"
    assert after.status_code == 200, after.text
    assert after.headers["etag"] != before.headers["etag"]
    assert (burrito(after.json())["available"], burrito(after.json())["available_from"]) == (
        True,
        None,
    )


def burrito(menu: dict[str, Any]) -> dict[str, Any]:
    [item] = [i for c in menu["categories"] for i in c["items"] if i["name"] == "Burrito"]
    return item


def cache_directives(response: Any) -> set[str]:
    return {part.strip() for part in response.headers["cache-control"].split(",")}


def sold_out(menu: dict[str, Any]) -> dict[str, bool]:
    return {i["name"]: i["sold_out"] for c in menu["categories"] for i in c["items"]}


# --- no staff data on any public route ---------------------------------------------------


def leaks(value: Any, secrets: set[str], path: str = "$") -> Iterator[str]:
    """Each place in the JSON ``value`` where a denied field name or a staff secret shows."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if _denied(key):
                yield f"{path}.{key}"
            yield from leaks(inner, secrets, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from leaks(inner, secrets, f"{path}[{index}]")
    elif isinstance(value, str) and any(secret in value.lower() for secret in secrets):
        yield f"{path} = {value!r}"


def _denied(key: str) -> bool:
    """A denied word as a part of the name (``by``, ``cost_cents``) or, for the longer
    words, anywhere in it (``stock_left``, ``staff_name``)."""
    parts = key.lower().split("_")
    return any(word in parts or (len(word) > 3 and word in key.lower()) for word in DENIED)


def test_the_walker_finds_what_it_is_for() -> None:
    sample = {"items": [{"on_hand": 3, "name": "x"}], "by": {"name": "Ana Staff"},
              "modifier_groups": [{"notes": "ana@fusionx.test"}]}  # fmt: skip

    assert list(leaks(sample, {"ana staff", "ana@fusionx.test"})) == [
        "$.items[0].on_hand", "$.by", "$.by.name = 'Ana Staff'",
        "$.modifier_groups[0].notes", "$.modifier_groups[0].notes = 'ana@fusionx.test'",
    ]  # fmt: skip


PUBLIC_OPERATIONS = [op for op in all_operations() if op.path.startswith("/api/v1/public/")]
# What is read and cached; a customer's cart and checkout (POST) are checked for staff
# data in tests/http/test_checkout.py.
PUBLIC_READS = [op for op in PUBLIC_OPERATIONS if op.method == "GET"]


def test_the_public_routes_are_found() -> None:
    assert {op.operation_id for op in PUBLIC_OPERATIONS} >= {
        "listOpenTrucks", "getTruckFront", "getPublicMenu",
    }  # fmt: skip


async def assert_no_staff_data(scene: Scene) -> None:
    """Every public route, on a scene whose truck is open at a placed location, with
    orders, stock and staff: 200, cacheable by anyone, no denied field, no staff member's
    name or email."""
    patched = await scene.client.patch(
        f"/api/v1/locations/{scene.plaza.id}",
        json={"latitude": QUAY[0], "longitude": QUAY[1]},
        headers=scene.owner_headers,
    )
    assert patched.status_code == 200, patched.text
    secrets = {
        text.lower()
        for staff in (scene.owner, scene.curry_manager)
        for text in (staff.name, staff.email)
    }
    for operation in PUBLIC_READS:
        response = await scene.send(operation, caller={})  # lat and lon: the quay's
        assert response.status_code == 200, (operation.operation_id, response.text)
        assert "public" in cache_directives(response), operation.operation_id
        body = response.json()
        if operation.operation_id == "listOpenTrucks":
            assert [t["name"] for t in body["items"]] == ["Taco Titan"]
        if operation.operation_id == "getPublicMenu":
            assert sum(len(c["items"]) for c in body["categories"]) == 3
        assert list(leaks(body, secrets)) == [], operation.operation_id


async def test_no_public_route_shows_staff_data() -> None:
    async with scene_on(memory_adapters()) as scene:
        await assert_no_staff_data(scene)


@pytest.mark.postgres
async def test_no_public_route_shows_staff_data_on_postgres(postgres_scene: Scene) -> None:
    await assert_no_staff_data(postgres_scene)


def test_every_public_route_is_marked_for_the_per_address_rate_limit(app: Litestar) -> None:
    public = [
        handler
        for route in app.routes
        if route.path.startswith("/api/v1/public/")
        for handler in route.route_handlers  # type: ignore[attr-defined]
    ]

    assert len(public) >= len(PUBLIC_OPERATIONS)
    assert {handler.opt.get(OPT_KEY) for handler in public} == {PUBLIC_RATE_LIMIT[OPT_KEY]}
