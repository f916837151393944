"""The dashboard over in-memory adapters: what each role sees, one-tap 86 and back on
sale through the stock use case, and the throttle form."""

from __future__ import annotations

from markupsafe import escape

from fusionx.core.model.staff import Role
from fusionx.entrypoints.web.csrf import CSRF_HEADER
from fusionx.entrypoints.web.session import SESSION_COOKIE
from tests.factories import PASSWORD, make_staff, make_truck, open_shift_world
from tests.web.conftest import sign_in


def _htmx(client) -> dict[str, str]:
    return {CSRF_HEADER: client.cookies["fusionx_csrf"], "HX-Request": "true"}


async def _stock(client, shift_id) -> dict[str, tuple[int, bool]]:
    """What the JSON API says is on hand, asked with the page's own session token."""
    bearer = {"Authorization": f"Bearer {client.cookies[SESSION_COOKIE]}"}
    menu = await client.get(f"/api/v1/shifts/{shift_id}/menu", headers=bearer)
    assert menu.status_code == 200, menu.text
    return {
        item["name"]: (item["on_hand"], item["sold_out"])
        for category in menu.json()["categories"]
        for item in category["items"]
    }


async def test_an_owner_sees_every_trucks_shift_and_the_week(client, adapters):
    world = await open_shift_world(adapters)
    await make_truck(adapters, name="Noodle Nomad")
    owner = await make_staff(adapters, role=Role.OWNER)
    await sign_in(client, owner.email, PASSWORD)

    fleet = await client.get("/app/dashboard")

    assert fleet.status_code == 200, fleet.text
    assert escape(world.truck.name) in fleet.text
    assert "Noodle Nomad" in fleet.text
    assert "The last seven days" in fleet.text


async def test_a_manager_sees_only_their_trucks(client, adapters):
    world = await open_shift_world(adapters)
    other = await open_shift_world(adapters)
    await sign_in(client, world.manager.email, PASSWORD)

    fleet = await client.get("/app/dashboard")
    theirs = await client.get(f"/app/trucks/{world.truck.id}/dashboard")
    not_theirs = await client.get(f"/app/trucks/{other.truck.id}/dashboard")
    other_stock = await client.get(f"/app/shifts/{other.shift.id}/stock")

    assert escape(world.truck.name) in fleet.text
    assert escape(other.truck.name) not in fleet.text
    assert theirs.status_code == 200
    assert "Net sales" in theirs.text
    assert not_theirs.status_code == 404
    assert other_stock.status_code == 404


async def test_crew_see_their_trucks_stock_but_not_its_figures_nor_the_fleets(client, adapters):
    world = await open_shift_world(adapters)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[world.truck])
    await sign_in(client, crew.email, PASSWORD)

    truck = await client.get(f"/app/trucks/{world.truck.id}/dashboard")
    fleet = await client.get("/app/dashboard")
    throttle = await client.post(
        f"/app/shifts/{world.shift.id}/capacity",
        data={"window_minutes": "10", "max_orders": "5"},
        headers=_htmx(client),
    )

    assert truck.status_code == 200
    assert 'id="stock"' in truck.text
    assert escape(world.items[0].name) in truck.text
    assert "Net sales" not in truck.text
    assert 'id="capacity"' not in truck.text
    assert "The last seven days" not in fleet.text
    assert throttle.status_code == 403


async def test_one_tap_86_sells_the_item_out_and_a_count_puts_it_back(client, adapters):
    world = await open_shift_world(adapters, stock=10)
    item = world.items[0]
    await sign_in(client, world.manager.email, PASSWORD)
    base = f"/app/shifts/{world.shift.id}/stock/{item.id}"

    out = await client.post(f"{base}/sold-out", headers=_htmx(client))

    assert out.status_code == 200, out.text
    assert 'id="stock"' in out.text
    assert "is-out" in out.text
    assert (await _stock(client, world.shift.id))[item.name] == (0, True)

    back = await client.post(f"{base}/count", data={"count": "7"}, headers=_htmx(client))

    assert back.status_code == 200, back.text
    assert (await _stock(client, world.shift.id))[item.name] == (7, False)


async def test_stock_at_or_below_its_threshold_is_highlighted_low(client, adapters):
    world = await open_shift_world(adapters, stock=3)  # the fleet's default threshold is 5
    await sign_in(client, world.manager.email, PASSWORD)

    stock = await client.get(f"/app/shifts/{world.shift.id}/stock")

    assert stock.text.count("is-low") == len(world.items)


async def test_a_count_out_of_range_is_refused_by_field(client, adapters):
    world = await open_shift_world(adapters)
    await sign_in(client, world.manager.email, PASSWORD)
    url = f"/app/shifts/{world.shift.id}/stock/{world.items[0].id}/count"

    refused = await client.post(url, data={"count": "-1"}, headers=_htmx(client))

    assert refused.status_code == 422
    assert "count" in refused.text


async def test_a_manager_sets_and_lifts_the_shifts_throttle(client, adapters):
    world = await open_shift_world(adapters)
    await sign_in(client, world.manager.email, PASSWORD)
    url = f"/app/shifts/{world.shift.id}/capacity"
    bearer = {"Authorization": f"Bearer {client.cookies[SESSION_COOKIE]}"}

    saved = await client.post(
        url, data={"window_minutes": "15", "max_orders": "8"}, headers=_htmx(client)
    )
    in_force = await client.get(f"/api/v1/shifts/{world.shift.id}/capacity", headers=bearer)
    half = await client.post(url, data={"max_orders": "8"}, headers=_htmx(client))
    lifted = await client.post(url, data={}, headers=_htmx(client))

    assert saved.status_code == 200, saved.text
    assert 'role="status"' in saved.text
    assert in_force.json()["throttle"]["max_orders"] == 8
    assert 'role="alert"' in half.text  # a throttle needs its window: the rule's message
    assert 'role="status"' in lifted.text


async def test_the_live_fragment_is_the_polled_part_alone(client, adapters):
    world = await open_shift_world(adapters)
    await sign_in(client, world.manager.email, PASSWORD)

    live = await client.get(f"/app/trucks/{world.truck.id}/dashboard/live")

    assert live.status_code == 200
    assert live.text.lstrip().startswith('<section id="live"')
    assert "<html" not in live.text


async def test_what_the_dashboard_changes_is_on_the_audit_trail_with_the_caller(client, adapters):
    world = await open_shift_world(adapters)
    owner = await make_staff(adapters, role=Role.OWNER)
    await sign_in(client, world.manager.email, PASSWORD)
    shift = f"/app/shifts/{world.shift.id}"
    headers = {**_htmx(client), "x-request-id": "dashboard-audit"}

    await client.post(f"{shift}/stock/{world.items[0].id}/sold-out", headers=headers)
    await client.post(
        f"{shift}/stock/{world.items[0].id}/count", data={"count": "3"}, headers=headers
    )
    await client.post(
        f"{shift}/capacity", data={"window_minutes": "10", "max_orders": "4"}, headers=headers
    )

    await sign_in(client, owner.email, PASSWORD)
    bearer = {"Authorization": f"Bearer {client.cookies[SESSION_COOKIE]}"}
    trail = (await client.get("/api/v1/audit", params={"limit": 200}, headers=bearer)).json()
    ours = [r for r in trail["items"] if r["request_id"] == "dashboard-audit"]
    assert sorted(r["action"] for r in ours) == [
        "shift.capacity_set",
        "stock.adjusted",
        "stock.adjusted",
    ]
    assert {r["actor"]["id"] for r in ours} == {str(world.manager.id)}
