"""The customer's pages (``web/controllers/shop.py``) over in-memory adapters: prices in
the reader's locale, the cart priced by the server with its problems shown on the page,
and the tracking page of a link. Here beside the API's tests for the fleet they share;
the whole flow in a browser is ``tests/browser/test_customer_pages.py``."""

from __future__ import annotations

import json

import pytest

from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
from fusionx.entrypoints.web.csrf import CSRF_COOKIE, CSRF_FIELD
from tests.http.conftest import Fleet, place
from tests.support.tracking import moved, tracked


@pytest.fixture
async def stocked(client, fleet: Fleet, manager, taco_shift, restock) -> Fleet:
    await restock(taco_shift, fleet.burrito, 3, manager)
    return fleet


def _cart(*lines: tuple[object, int]) -> str:
    return json.dumps({"lines": [{"item_id": str(i.id), "quantity": q} for i, q in lines]})  # type: ignore[attr-defined]


async def _quote(client, fleet: Fleet, cart: str):
    menu = await client.get(f"/app/shop/trucks/{fleet.taco.id}")
    assert menu.status_code == 200, menu.text
    token = client.cookies[CSRF_COOKIE]
    return await client.post(
        f"/app/shop/trucks/{fleet.taco.id}/quote", data={"cart": cart, CSRF_FIELD: token}
    )


@pytest.mark.parametrize(
    ("language", "price", "sold_out"),
    [("en", "€9.50", "Sold out"), ("es", "9,50\xa0€", "Agotado"), ("fr", "9,50\xa0€", "Épuisé")],
)
async def test_the_menu_shows_prices_in_the_readers_locale(
    client, stocked: Fleet, language, price, sold_out
):
    page = await client.get(
        f"/app/shop/trucks/{stocked.taco.id}", headers={"Accept-Language": language}
    )

    assert page.status_code == 200, page.text
    assert f'<html lang="{language}">' in page.text
    assert "Burrito" in page.text
    assert price in page.text
    assert sold_out in page.text  # the horchata: nothing on hand


async def test_a_truck_without_a_shift_says_it_takes_no_orders(client, fleet: Fleet):
    page = await client.get(f"/app/shop/trucks/{fleet.curry.id}")

    assert page.status_code == 200, page.text
    assert "not taking orders" in page.text
    assert "Burrito" not in page.text


async def test_the_cart_is_priced_by_the_server(client, stocked: Fleet):
    quoted = await _quote(client, stocked, _cart((stocked.burrito, 2)))

    assert quoted.status_code == 200, quoted.text
    assert "Burrito" in quoted.text
    assert "€19.00" in quoted.text
    assert 'name="pickup_at"' in quoted.text


@pytest.mark.parametrize(
    ("cart", "shown"),
    [
        ("not json", "could not be read"),
        ('{"lines": [{"item_id": "nope", "quantity": 1}]}', "could not be read"),
        ("x" * 70_000, "problem"),  # longer than any cart: refused as the form's field
    ],
)
async def test_a_bad_cart_is_a_problem_on_the_page_never_a_500(client, stocked: Fleet, cart, shown):
    quoted = await _quote(client, stocked, cart)

    assert quoted.status_code < 500
    assert shown in quoted.text


async def test_a_cart_the_shift_cannot_serve_shows_why(client, stocked: Fleet):
    quoted = await _quote(client, stocked, _cart((stocked.horchata, 1)))

    assert quoted.status_code == 200
    assert 'role="alert"' in quoted.text
    assert "€" not in quoted.text.split('role="alert"')[0]  # no price for it


async def test_the_tracking_page_shows_the_order_and_its_state(
    client, adapters, stocked: Fleet, manager, taco_shift
):
    placed = await place(client, taco_shift, manager, (stocked.burrito, 1))
    token = await tracked(adapters, placed["order"]["id"])

    page = await client.get(f"/app/shop/track/{token}")
    assert page.status_code == 200, page.text
    assert f"Order {placed['order']['number']}" in page.text
    assert "In the queue" in page.text
    assert f"/api/v1/track/{token}/events" in page.text

    await moved(client, placed, manager, "in_prep")
    status = await client.get(f"/app/shop/track/{token}/status")
    assert "Being prepared" in status.text
    assert "<html" not in status.text  # the fragment the page swaps in


@pytest.mark.parametrize("token", ["fxt_" + "x" * 43, "garbage", "fxt_" + "x" * 200])
async def test_a_link_that_is_not_one_is_not_found(client, token):
    page = await client.get(f"/app/shop/track/{token}")
    status = await client.get(f"/app/shop/track/{token}/status")

    assert page.status_code == status.status_code == 404


def test_every_customer_page_counts_against_the_public_rate_limit(app):
    shop = [
        handler
        for route in app.routes
        if route.path.startswith("/app/shop")
        for handler in getattr(route, "route_handlers", ())
        if handler.http_methods != {"OPTIONS"}
    ]

    assert len(shop) == 5
    assert all(PUBLIC_RATE_LIMIT.items() <= handler.opt.items() for handler in shop)
