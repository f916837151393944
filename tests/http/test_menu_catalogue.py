"""Editing the catalogue: who may, reordering whole lists, search, archiving, and the
subset of the catalogue a truck sells at its own prices."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.events import stored

CATEGORIES = "/api/v1/menu/categories"
ITEMS = "/api/v1/menu/items"


@pytest.fixture
async def owner(sign_in, fleet):
    return await sign_in(fleet.owner)


async def menu_names(client, shift, headers) -> list[tuple[str, list[str]]]:
    menu = (await client.get(f"/api/v1/shifts/{shift.id}/menu", headers=headers)).json()
    return [(c["name"], [i["name"] for i in c["items"]]) for c in menu["categories"]]


async def menu_prices(client, shift, headers) -> dict[str, int]:
    menu = (await client.get(f"/api/v1/shifts/{shift.id}/menu", headers=headers)).json()
    return {i["name"]: i["price_cents"] for c in menu["categories"] for i in c["items"]}


async def categories(client, headers) -> list[dict[str, Any]]:
    return (await client.get(CATEGORIES, headers=headers)).json()["items"]


async def test_only_owners_and_admins_edit_the_fleet_catalogue(client, fleet, manager, owner):
    by_manager = await client.post(CATEGORIES, json={"name": "Desserts"}, headers=manager)
    by_owner = await client.post(CATEGORIES, json={"name": "Desserts"}, headers=owner)
    change = await client.patch(
        f"{ITEMS}/{fleet.burrito.id}", json={"price_cents": 1}, headers=manager
    )

    assert by_manager.status_code == 403
    assert by_owner.status_code == 201
    assert (by_owner.json()["truck_id"], by_owner.json()["display_order"]) == (None, 3)
    assert change.status_code == 403


async def test_crew_and_devices_may_not_edit_even_their_trucks_menu(
    client, fleet, sign_in, taco_device
):
    crew = await sign_in(fleet.taco_crew)
    body = {"name": "Crew picks", "truck_id": str(fleet.taco.id)}

    assert (await client.post(CATEGORIES, json=body, headers=crew)).status_code == 403
    assert (await client.post(CATEGORIES, json=body, headers=taco_device)).status_code == 403


async def test_a_manager_may_not_touch_another_trucks_menu(client, fleet, manager):
    response = await client.post(
        CATEGORIES, json={"name": "Curry", "truck_id": str(fleet.curry.id)}, headers=manager
    )

    assert response.status_code == 404


async def test_reordering_sets_the_whole_order_the_screen_shows(
    client, fleet, owner, manager, taco_shift
):
    ids = [c["id"] for c in await categories(client, owner)]

    reordered = await client.put(
        f"{CATEGORIES}/order", json={"category_ids": list(reversed(ids))}, headers=owner
    )
    items = await client.put(
        f"{CATEGORIES}/{fleet.burrito.category_id}/items/order",
        json={"item_ids": [str(fleet.quesadilla.id), str(fleet.burrito.id)]},
        headers=owner,
    )

    assert reordered.status_code == 200
    assert [c["display_order"] for c in reordered.json()] == [1, 2]
    assert items.status_code == 200
    assert await menu_names(client, taco_shift, manager) == [
        ("Drinks", ["Horchata"]),
        ("Mains", ["Quesadilla", "Burrito"]),
    ]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (lambda ids: ids[:1], "must name every entry: 1 missing"),
        (lambda ids: [*ids, ids[0]], "names an entry twice"),
        (lambda ids: [*ids[:1], "00000000-0000-7000-8000-0000000000ff"], "not in this list"),
    ],
)
async def test_a_partial_or_wrong_order_is_refused(client, owner, ids, message):
    current = [c["id"] for c in await categories(client, owner)]

    response = await client.put(
        f"{CATEGORIES}/order", json={"category_ids": ids(current)}, headers=owner
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "category_ids"
    assert error["message"].startswith(message)


async def test_search_by_text_tag_category_and_archived_with_pages(client, fleet, owner):
    await client.patch(f"{ITEMS}/{fleet.quesadilla.id}", json={"tags": ["Cheese"]}, headers=owner)
    await client.patch(f"{ITEMS}/{fleet.horchata.id}", json={"active": False}, headers=owner)

    async def names(**params: Any) -> tuple[list[str], int]:
        response = await client.get(ITEMS, params=params, headers=owner)
        assert response.status_code == 200, response.text
        return [i["name"] for i in response.json()["items"]], response.json()["total"]

    assert await names(q="rito") == (["Burrito"], 1)
    assert await names(tag="cheese") == (["Quesadilla"], 1)
    assert await names(category_id=str(fleet.burrito.category_id)) == (["Burrito", "Quesadilla"], 2)
    assert await names(active="false") == (["Horchata"], 1)
    assert await names(limit=1, offset=1) == (["Horchata"], 3)
    assert (await client.get(ITEMS, params={"limit": 0}, headers=owner)).status_code == 422


async def test_archiving_takes_an_item_off_the_menu_and_past_orders_keep_it(
    client, fleet, owner, manager, taco_shift
):
    await client.post(
        f"/api/v1/shifts/{taco_shift.id}/inventory/adjustments",
        json={"item_id": str(fleet.burrito.id), "reason": "restock", "delta": 2},
        headers=manager,
    )
    order = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json={"lines": [{"item_id": str(fleet.burrito.id), "quantity": 1}]},
        headers=manager,
    )

    archived = await client.patch(
        f"{ITEMS}/{fleet.burrito.id}", json={"active": False}, headers=owner
    )
    again = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json={"lines": [{"item_id": str(fleet.burrito.id), "quantity": 1}]},
        headers=manager,
    )

    assert archived.json()["active"] is False
    assert ("Mains", ["Quesadilla"]) in await menu_names(client, taco_shift, manager)
    assert again.status_code == 422
    feed = await client.get(f"/api/v1/shifts/{taco_shift.id}/tickets", headers=manager)
    [ticket] = feed.json()["tickets"]
    assert ticket["order_id"] == order.json()["order"]["id"]
    assert ticket["lines"][0]["name"] == "Burrito"


async def test_a_truck_sells_its_chosen_subset_at_its_own_prices(
    client, fleet, manager, taco_shift
):
    chosen = await client.put(
        f"/api/v1/trucks/{fleet.taco.id}/menu",
        json={
            "items": [
                {"item_id": str(fleet.burrito.id), "price_cents": 1000},
                {"item_id": str(fleet.horchata.id)},
            ]
        },
        headers=manager,
    )

    assert chosen.status_code == 200
    assert await menu_prices(client, taco_shift, manager) == {"Burrito": 1000, "Horchata": 350}
    shown = await client.get(f"/api/v1/trucks/{fleet.taco.id}/menu", headers=manager)
    assert {e["item_id"]: e["price_cents"] for e in shown.json()["items"]} == {
        str(fleet.burrito.id): 1000,
        str(fleet.horchata.id): None,
    }

    cleared = await client.put(
        f"/api/v1/trucks/{fleet.taco.id}/menu", json={"items": []}, headers=manager
    )
    assert cleared.status_code == 200
    assert await menu_prices(client, taco_shift, manager) == {
        "Burrito": 950,
        "Quesadilla": 800,
        "Horchata": 350,
    }


async def test_each_check_in_opens_with_the_stock_the_trucks_menu_gives(client, fleet, manager):
    chosen = await client.put(
        f"/api/v1/trucks/{fleet.taco.id}/menu",
        json={
            "items": [
                {"item_id": str(fleet.burrito.id), "opening_stock": 40},
                {"item_id": str(fleet.horchata.id), "price_cents": 300},
            ]
        },
        headers=manager,
    )
    assert chosen.status_code == 200, chosen.text
    shown = await client.get(f"/api/v1/trucks/{fleet.taco.id}/menu", headers=manager)
    assert {e["item_id"]: e["opening_stock"] for e in shown.json()["items"]} == {
        str(fleet.burrito.id): 40,
        str(fleet.horchata.id): None,
    }

    body = {"truck_id": str(fleet.taco.id), "location_id": str(fleet.plaza.id)}
    for _ in range(2):  # every shift opens with it, not the first only
        shift = (await client.post("/api/v1/shifts", json=body, headers=manager)).json()
        menu = (await client.get(f"/api/v1/shifts/{shift['id']}/menu", headers=manager)).json()
        on_hand = {i["name"]: i["on_hand"] for c in menu["categories"] for i in c["items"]}
        assert on_hand == {"Burrito": 40, "Horchata": 0}
        order = await client.post(
            f"/api/v1/shifts/{shift['id']}/orders",
            json={"lines": [{"item_id": str(fleet.burrito.id), "quantity": 2}]},
            headers=manager,
        )
        assert order.status_code == 201, order.text
        closing = {"force": True, "reason": "end of test"}
        closed = await client.post(
            f"/api/v1/shifts/{shift['id']}/checkout", json=closing, headers=manager
        )
        assert closed.status_code == 200, closed.text


@pytest.mark.parametrize("opening_stock", [-1, 100_001])
async def test_an_opening_stock_out_of_range_is_refused(client, fleet, manager, opening_stock):
    response = await client.put(
        f"/api/v1/trucks/{fleet.taco.id}/menu",
        json={"items": [{"item_id": str(fleet.burrito.id), "opening_stock": opening_stock}]},
        headers=manager,
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items[0].opening_stock"


async def test_a_window_order_pays_the_trucks_price(client, fleet, manager, taco_shift, restock):
    await client.put(
        f"/api/v1/trucks/{fleet.taco.id}/menu",
        json={"items": [{"item_id": str(fleet.burrito.id), "price_cents": 1000}]},
        headers=manager,
    )
    await restock(taco_shift, fleet.burrito, 1, manager)
    await restock(taco_shift, fleet.horchata, 1, manager)

    sold = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json={"lines": [{"item_id": str(fleet.burrito.id), "quantity": 1}]},
        headers=manager,
    )
    off_menu = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json={"lines": [{"item_id": str(fleet.horchata.id), "quantity": 1}]},
        headers=manager,
    )

    assert sold.json()["order"]["total_cents"] == 1000
    assert off_menu.status_code == 422
    assert off_menu.json()["errors"][0]["field"] == "lines[0].item_id"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": " "}, "name"),
        ({"price_cents": -1}, "price_cents"),
        ({"image_url": "http://insecure.test/a.png"}, "image_url"),
        (
            {"availability": [{"days": [], "start": "07:00", "end": "11:00"}]},
            "availability[0].days",
        ),
        (
            {"availability": [{"days": ["mon"], "start": "25:00", "end": "11:00"}]},
            "availability[0].start",
        ),
        (
            {"availability": [{"days": ["mon"], "start": "07:00", "end": "07:00"}]},
            "availability[0].end",
        ),
        ({"modifier_group_ids": ["00000000-0000-7000-8000-0000000000ff"]}, "modifier_group_ids[0]"),
    ],
)
async def test_a_bad_item_change_names_the_field(client, fleet, owner, body, field):
    response = await client.patch(f"{ITEMS}/{fleet.burrito.id}", json=body, headers=owner)

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


async def test_a_modifier_group_needs_a_coherent_minimum_and_maximum(client, fleet, manager):
    body = {
        "name": "Extras",
        "truck_id": str(fleet.taco.id),
        "options": [{"name": "Cheese", "price_delta_cents": 100}],
        "min_choices": 0,
        "max_choices": 2,
    }

    response = await client.post("/api/v1/menu/modifier-groups", json=body, headers=manager)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "max_choices"


async def test_a_modifier_group_changes_keeping_the_options_named_by_id(client, fleet, manager):
    groups = "/api/v1/menu/modifier-groups"
    created = await client.post(
        groups,
        json={
            "name": "Extras",
            "truck_id": str(fleet.taco.id),
            "options": [{"name": "Cheese", "price_delta_cents": 100}, {"name": "Guac"}],
            "max_choices": 2,
        },
        headers=manager,
    )
    cheese, guac = created.json()["options"]

    changed = await client.patch(
        f"{groups}/{created.json()['id']}",
        json={
            "name": "Toppings",
            "options": [
                {"id": cheese["id"], "name": "Cheese", "price_delta_cents": 120},
                {"name": "Salsa"},
            ],
        },
        headers=manager,
    )
    too_many = await client.patch(
        f"{groups}/{created.json()['id']}", json={"max_choices": 3}, headers=manager
    )
    removed = await client.patch(
        f"{groups}/{created.json()['id']}",
        json={"options": [{"id": guac["id"], "name": "Guac"}]},
        headers=manager,
    )
    twice = await client.patch(
        f"{groups}/{created.json()['id']}",
        json={
            "options": [
                {"id": cheese["id"], "name": "Cheese"},
                {"id": cheese["id"], "name": "Brie"},
            ]
        },
        headers=manager,
    )

    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["name"] == "Toppings"
    assert [(o["name"], o["price_delta_cents"]) for o in body["options"]] == [
        ("Cheese", 120),
        ("Salsa", 0),
    ]
    assert body["options"][0]["id"] == cheese["id"]
    assert body["options"][1]["id"] not in {cheese["id"], guac["id"]}
    listed = (await client.get(groups, headers=manager)).json()
    assert [g["name"] for g in listed["items"]] == ["Toppings"]
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "max_choices"
    assert removed.json()["errors"][0]["field"] == "options[0].id"  # Guac went
    assert twice.json()["errors"][0]["field"] == "options[1].id"


async def test_open_shifts_hear_of_changes_to_the_menu_they_show(  # noqa: PLR0917 - fixtures
    client, fleet, owner, taco_shift, check_in, adapters
):
    curry_shift = await check_in(fleet.curry, by=fleet.curry_manager)

    async def changes(shift) -> list[str]:
        async with adapters.uow() as uow:
            events = await uow.events.since(shift.id, 0)
        return [stored(e)["what"] for e in events if e.type.value == "menu.changed"]

    await client.patch(f"{ITEMS}/{fleet.burrito.id}", json={"price_cents": 990}, headers=owner)
    await client.post(
        CATEGORIES, json={"name": "Taco only", "truck_id": str(fleet.taco.id)}, headers=owner
    )

    assert await changes(taco_shift) == ["item", "category"]
    assert await changes(curry_shift) == ["item"]
