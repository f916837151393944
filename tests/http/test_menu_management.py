"""A manager builds a truck's menu through the API, and the shift menu shows it as it is
at the moment asked: breakfast until 11:00 local, a special for this shift only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
BREAKFAST = {"days": WEEKDAYS, "start": "07:00", "end": "11:00"}


async def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
async def built(client, fleet, manager, taco_shift):
    """Through the API, as Taco Titan's manager: a breakfast category open 07-11 on
    weekdays, a size choice, a breakfast burrito offering it, and a special."""
    taco = str(fleet.taco.id)
    breakfast = await created(
        await client.post(
            "/api/v1/menu/categories",
            json={"name": "Breakfast", "truck_id": taco, "availability": [BREAKFAST]},
            headers=manager,
        )
    )
    size = await created(
        await client.post(
            "/api/v1/menu/modifier-groups",
            json={
                "name": "Size",
                "truck_id": taco,
                "min_choices": 1,
                "max_choices": 1,
                "options": [{"name": "Regular"}, {"name": "Large", "price_delta_cents": 150}],
            },
            headers=manager,
        )
    )
    burrito = await created(
        await client.post(
            "/api/v1/menu/items",
            json={
                "category_id": breakfast["id"],
                "name": "Breakfast Burrito",
                "price_cents": 800,
                "tags": ["Gluten", "egg"],
                "modifier_group_ids": [size["id"]],
                "truck_id": taco,
            },
            headers=manager,
        )
    )
    mains = next(
        c
        for c in (await client.get("/api/v1/menu/categories", headers=manager)).json()["items"]
        if c["name"] == "Mains"
    )
    special = await created(
        await client.post(
            f"/api/v1/shifts/{taco_shift.id}/specials",
            json={
                "category_id": mains["id"],
                "name": "Birria Taco",
                "price_cents": 1200,
                "stock": 20,
            },
            headers=manager,
        )
    )
    return {
        "shift": taco_shift,
        "breakfast": breakfast,
        "size": size,
        "burrito": burrito,
        "special": special,
    }


async def shift_menu(client, shift, headers) -> dict[str, Any]:
    response = await client.get(f"/api/v1/shifts/{shift.id}/menu", headers=headers)
    assert response.status_code == 200
    return response.json()


def item_named(menu: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for c in menu["categories"] for i in c["items"] if i["name"] == name)


async def test_breakfast_is_served_at_10_59_and_not_at_11_00_local(
    client, built, taco_shift, manager, clock
):
    # Monday 5 January 2026; Paris is UTC+1 in winter.
    clock.set(datetime(2026, 1, 5, 9, 59, tzinfo=UTC))
    at_10_59 = await shift_menu(client, taco_shift, manager)

    clock.set(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    at_11_00 = await shift_menu(client, taco_shift, manager)

    assert at_10_59["timezone"] == "Europe/Paris"
    before, after = (
        item_named(at_10_59, "Breakfast Burrito"),
        item_named(at_11_00, "Breakfast Burrito"),
    )
    assert (before["available"], before["available_from"]) == (True, None)
    # Next served on Tuesday at 07:00 Paris time.
    assert (after["available"], after["available_from"]) == (False, "2026-01-06T06:00:00Z")
    assert item_named(at_11_00, "Burrito")["available"] is True


async def test_on_friday_after_11_breakfast_is_next_served_on_monday(
    client, fleet, built, sign_in, clock
):
    clock.set(datetime(2026, 1, 9, 10, 30, tzinfo=UTC))
    manager = await sign_in(fleet.taco_manager)  # Monday's session has expired

    menu = await shift_menu(client, built["shift"], manager)

    assert item_named(menu, "Breakfast Burrito")["available_from"] == "2026-01-12T06:00:00Z"


async def test_the_shift_menu_shows_the_built_menu_in_order(
    client, built, taco_shift, manager, clock
):
    clock.set(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))

    menu = await shift_menu(client, taco_shift, manager)

    assert [(c["name"], [i["name"] for i in c["items"]]) for c in menu["categories"]] == [
        ("Mains", ["Birria Taco", "Burrito", "Quesadilla"]),
        ("Drinks", ["Horchata"]),
        ("Breakfast", ["Breakfast Burrito"]),
    ]
    burrito = item_named(menu, "Breakfast Burrito")
    assert burrito["tags"] == ["egg", "gluten"]
    [size] = burrito["modifier_groups"]
    assert (size["name"], size["required"], size["min_choices"], size["max_choices"]) == (
        "Size",
        True,
        1,
        1,
    )
    assert [(o["name"], o["price_delta_cents"]) for o in size["options"]] == [
        ("Regular", 0),
        ("Large", 150),
    ]
    special = item_named(menu, "Birria Taco")
    assert (special["special"], special["on_hand"], special["price_cents"]) == (True, 20, 1200)


async def test_a_special_belongs_to_its_shift_only(client, fleet, built, manager, check_in):
    taco_shift = built["shift"]
    checkout = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/checkout",
        json={"force": True, "reason": "end"},
        headers=manager,
    )
    assert checkout.status_code == 200
    tomorrow = await check_in(fleet.taco, by=fleet.taco_manager)

    menu = await shift_menu(client, tomorrow, manager)

    names = [i["name"] for c in menu["categories"] for i in c["items"]]
    assert "Birria Taco" not in names
    assert "Breakfast Burrito" in names


async def test_another_trucks_staff_see_none_of_it(client, fleet, built, outsiders, check_in):
    curry_shift = await check_in(fleet.curry, by=fleet.curry_manager)
    curry_manager = outsiders[0]

    menu = await shift_menu(client, curry_shift, curry_manager)
    category = await client.patch(
        f"/api/v1/menu/categories/{built['breakfast']['id']}",
        json={"name": "Mine now"},
        headers=curry_manager,
    )
    item = await client.get(f"/api/v1/menu/items/{built['burrito']['id']}", headers=curry_manager)

    names = [i["name"] for c in menu["categories"] for i in c["items"]]
    assert "Breakfast Burrito" not in names
    assert "Birria Taco" not in names
    assert (category.status_code, item.status_code) == (404, 404)


async def place(client, built, headers, *modifiers: str) -> Any:
    line = {"item_id": built["burrito"]["id"], "quantity": 2, "modifiers": list(modifiers)}
    return await client.post(
        f"/api/v1/shifts/{built['shift'].id}/orders", json={"lines": [line]}, headers=headers
    )


def option(built, name: str) -> str:
    return next(o["id"] for o in built["size"]["options"] if o["name"] == name)


@pytest.fixture
async def breakfast_time(client, built, manager, clock):
    """10:30 on a Monday in Paris, with breakfast burritos on hand."""
    clock.set(datetime(2026, 1, 5, 9, 30, tzinfo=UTC))
    response = await client.post(
        f"/api/v1/shifts/{built['shift'].id}/inventory/adjustments",
        json={"item_id": built["burrito"]["id"], "reason": "restock", "delta": 10},
        headers=manager,
    )
    assert response.status_code == 201


async def test_an_order_line_carries_its_modifiers_and_their_price(
    client, built, manager, breakfast_time
):
    response = await place(client, built, manager, option(built, "Large"))

    assert response.status_code == 201, response.text
    [line] = response.json()["order"]["lines"]
    assert (line["unit_price_cents"], line["total_cents"]) == (950, 1900)
    assert [(m["name"], m["price_delta_cents"]) for m in line["modifiers"]] == [("Large", 150)]
    feed = await client.get(f"/api/v1/shifts/{built['shift'].id}/tickets", headers=manager)
    assert feed.json()["tickets"][0]["lines"][0]["modifiers"] == ["Large"]


@pytest.mark.parametrize(
    "case",
    [
        ((), "lines[0].modifiers", "Size: choose 1"),
        (("Regular", "Large"), "lines[0].modifiers", "Size: choose 1"),
        (("Regular", "Regular"), "lines[0].modifiers", "names an option twice"),
    ],
)
async def test_modifiers_must_fit_the_items_groups(client, built, manager, breakfast_time, case):
    choices, field, message = case
    response = await place(client, built, manager, *(option(built, c) for c in choices))

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["message"]) == (field, message)


async def test_an_option_of_another_item_is_refused(client, built, manager, breakfast_time):
    response = await place(
        client, built, manager, option(built, "Large"), "00000000-0000-7000-8000-0000000000ff"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines[0].modifiers[1]"


async def test_breakfast_cannot_be_ordered_after_11(client, built, manager, breakfast_time, clock):
    clock.set(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))

    response = await place(client, built, manager, option(built, "Regular"))

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "lines[0].item_id"
    assert "not available now" in error["message"]
