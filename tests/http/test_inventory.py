"""A shift's menu with its stock, and the adjustments that change the stock."""

from __future__ import annotations

from uuid import uuid4

import pytest

from fusionx.core.model.shifts import ShiftState
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftRequest, ChangeShiftState
from tests.http.conftest import as_staff, on_hand


def adjustments_of(shift) -> str:
    return f"/api/v1/shifts/{shift.id}/inventory/adjustments"


def menu_of(shift) -> str:
    return f"/api/v1/shifts/{shift.id}/menu"


def adjustment(item, reason="restock", **fields) -> dict:
    return {"item_id": str(item.id), "reason": reason, **fields}


async def test_the_menu_lists_categories_and_items_in_order_all_sold_out_at_first(
    client, fleet, manager, taco_shift
):
    response = await client.get(menu_of(taco_shift), headers=manager)

    assert response.status_code == 200
    menu = response.json()
    assert menu["shift_id"] == str(taco_shift.id)
    assert [(c["name"], c["display_order"]) for c in menu["categories"]] == [
        ("Mains", 1),
        ("Drinks", 2),
    ]
    burrito = menu["categories"][0]["items"][0]
    assert burrito == {
        "id": str(fleet.burrito.id),
        "name": "Burrito",
        "description": "",
        "price_cents": 950,
        "display_order": 1,
        "tags": [],
        "image_url": None,
        "on_hand": 0,
        "sold_out": True,
        "available": True,
        "available_from": None,
        "special": False,
        "modifier_groups": [],
    }
    assert [i["name"] for i in menu["categories"][0]["items"]] == ["Burrito", "Quesadilla"]


async def test_a_restock_is_a_ledger_row_and_shows_on_the_menu(
    client, fleet, taco_shift, sign_in, clock
):
    crew = await sign_in(fleet.taco_crew)

    response = await client.post(
        adjustments_of(taco_shift),
        json=adjustment(fleet.burrito, delta=12, note="Morning delivery"),
        headers=crew,
    )

    assert response.status_code == 201
    row = response.json()
    assert set(row) == {"id", "item_id", "delta", "on_hand", "reason", "actor", "at", "note"}
    assert (row["item_id"], row["delta"], row["on_hand"]) == (str(fleet.burrito.id), 12, 12)
    assert row["reason"] == "restock"
    assert row["actor"] == {"kind": "staff", "id": str(fleet.taco_crew.id)}
    assert row["at"].endswith("Z")
    assert row["note"] == "Morning delivery"
    menu = (await client.get(menu_of(taco_shift), headers=crew)).json()
    burrito, quesadilla = menu["categories"][0]["items"]
    assert (burrito["on_hand"], burrito["sold_out"]) == (12, False)
    assert (quesadilla["on_hand"], quesadilla["sold_out"]) == (0, True)


async def test_waste_below_zero_is_refused_with_what_is_on_hand(
    client, fleet, manager, taco_shift, restock
):
    await restock(taco_shift, fleet.burrito, 3, manager)

    response = await client.post(
        adjustments_of(taco_shift),
        json=adjustment(fleet.burrito, "waste", delta=-4),
        headers=manager,
    )

    assert response.status_code == 409
    assert response.json()["on_hand"] == 3
    assert (await on_hand(client, taco_shift, manager))["Burrito"] == 3


async def test_a_count_sets_the_number_on_hand(client, fleet, manager, taco_shift, restock):
    await restock(taco_shift, fleet.horchata, 10, manager)

    response = await client.post(
        adjustments_of(taco_shift),
        json=adjustment(fleet.horchata, "count", count=7),
        headers=manager,
    )

    assert response.status_code == 201
    assert (response.json()["delta"], response.json()["on_hand"]) == (-3, 7)
    assert (await on_hand(client, taco_shift, manager))["Horchata"] == 7


async def test_selling_the_last_one_marks_the_item_sold_out(
    client, fleet, manager, taco_shift, restock
):
    await restock(taco_shift, fleet.horchata, 2, manager)

    await client.post(
        adjustments_of(taco_shift),
        json=adjustment(fleet.horchata, "waste", delta=-2),
        headers=manager,
    )

    menu = (await client.get(menu_of(taco_shift), headers=manager)).json()
    horchata = menu["categories"][1]["items"][0]
    assert (horchata["on_hand"], horchata["sold_out"]) == (0, True)


@pytest.mark.parametrize(
    "case",
    [
        ({"reason": "theft", "delta": 1}, "reason"),
        ({"reason": "sale", "delta": -1}, "reason"),
        ({"reason": "restock", "delta": 0}, "delta"),
        ({"reason": "restock"}, "delta"),
        ({"reason": "count", "delta": 2}, "count"),
        ({"reason": "count", "count": -1}, "count"),
        ({"reason": "restock", "delta": 1, "note": ""}, "note"),
    ],
)
async def test_a_bad_adjustment_names_the_field(client, fleet, manager, taco_shift, case):
    fields, field = case
    response = await client.post(
        adjustments_of(taco_shift), json=adjustment(fleet.burrito, **fields), headers=manager
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_an_item_off_the_menu_is_not_found(client, manager, taco_shift):
    response = await client.post(
        adjustments_of(taco_shift),
        json={"item_id": str(uuid4()), "reason": "restock", "delta": 1},
        headers=manager,
    )

    assert response.status_code == 404


async def test_a_device_reads_the_menu_but_may_not_adjust_stock(
    client, fleet, taco_shift, taco_device
):
    menu = await client.get(menu_of(taco_shift), headers=taco_device)
    adjust = await client.post(
        adjustments_of(taco_shift), json=adjustment(fleet.burrito, delta=1), headers=taco_device
    )

    assert menu.status_code == 200
    assert adjust.status_code == 403


async def test_another_trucks_staff_and_devices_do_not_find_the_menu_or_stock(
    client, fleet, taco_shift, outsiders
):
    for headers in outsiders:
        menu = await client.get(menu_of(taco_shift), headers=headers)
        adjust = await client.post(
            adjustments_of(taco_shift), json=adjustment(fleet.burrito, delta=1), headers=headers
        )
        assert (menu.status_code, adjust.status_code) == (404, 404), headers


async def test_a_closed_shifts_stock_is_final(client, adapters, fleet, manager, taco_shift):
    request = ChangeShiftRequest(shift_id=taco_shift.id, target=ShiftState.CLOSED)
    await ChangeShiftState(adapters.uow(), adapters.clock).execute(
        as_staff(fleet.taco_manager), request
    )

    response = await client.post(
        adjustments_of(taco_shift), json=adjustment(fleet.burrito, delta=1), headers=manager
    )

    assert response.status_code == 409
    assert response.json()["state"] == "closed"
