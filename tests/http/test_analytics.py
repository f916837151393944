"""Fleet analytics over HTTP: a manager's day of one truck adds up to its shift's
summary, by day, hour and week alike; only owners, admins and the truck's managers read
it; a bad range is a problem naming the field."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.http.conftest import place, walk

FIGURES = "/api/v1/analytics/figures"
TOP = "/api/v1/analytics/top-items"


@pytest.fixture
async def owner(sign_in, fleet) -> dict[str, str]:
    return await sign_in(fleet.owner)


@pytest.fixture
async def day(client, fleet, manager, taco_shift, restock) -> dict:
    """Three orders on Taco Titan: one cancelled, one refunded in part, one served."""
    for item in (fleet.burrito, fleet.quesadilla, fleet.horchata):
        await restock(taco_shift, item, 20, manager)
    placed = [
        await place(client, taco_shift, manager, (fleet.burrito, 2)),
        await place(client, taco_shift, manager, (fleet.quesadilla, 1)),
        await place(client, taco_shift, manager, (fleet.horchata, 3)),
    ]
    ticket = placed[1]["ticket"]
    body = {"to": "cancelled", "version": ticket["version"], "cancel_reason": "customer_request"}
    cancelled = await client.post(
        f"/api/v1/tickets/{ticket['id']}/transitions", json=body, headers=manager
    )
    assert cancelled.status_code == 200, cancelled.text
    refund = {"reason": "kitchen_error", "lines": [{"line": 0, "quantity": 1}]}
    order_id = placed[2]["order"]["id"]
    response = await client.post(f"/api/v1/orders/{order_id}/refunds", json=refund, headers=manager)
    assert response.status_code == 201, response.text
    await walk(client, placed[0]["ticket"], manager, "in_prep", "ready", "completed")
    created = datetime.fromisoformat(placed[0]["order"]["created_at"])
    local = created.astimezone(ZoneInfo(fleet.plaza.timezone)).date()
    return {"from_date": str(local), "to_date": str(local), "truck_id": str(fleet.taco.id)}


async def test_a_day_of_one_truck_adds_up_to_its_shifts_summary(
    client, manager, owner, taco_shift, day
) -> None:
    summary = (await client.get(f"/api/v1/shifts/{taco_shift.id}/summary", headers=manager)).json()
    response = await client.get(FIGURES, params=day, headers=manager)
    assert response.status_code == 200, response.text
    [figures] = response.json()["buckets"]

    assert figures["day"] == day["from_date"]
    assert (figures["orders"], figures["gross_cents"], figures["net_cents"]) == (
        summary["orders"],
        summary["gross_cents"],
        summary["net_cents"],
    )
    assert [(r["reason"], r["orders"]) for r in figures["cancellations"]] == [
        ("customer_request", 1)
    ]
    assert [r["reason"] for r in figures["refunds"]] == ["kitchen_error"]
    assert figures["prep_p50_seconds"] is not None
    for bucket in ("hour", "week"):
        buckets = (
            await client.get(FIGURES, params={**day, "bucket": bucket}, headers=owner)
        ).json()["buckets"]
        assert sum(b["net_cents"] for b in buckets) == summary["net_cents"], bucket
    top = (await client.get(TOP, params={**day, "limit": 1}, headers=manager)).json()
    assert [item["quantity"] for item in top["items"]] == [3]


async def test_figures_are_the_managers_trucks_and_no_one_elses(
    client, fleet, sign_in, outsiders, day
) -> None:
    curry_manager = outsiders[0]
    for path in (FIGURES, TOP):
        assert (await client.get(path, params=day, headers=curry_manager)).status_code == 404
        unnamed = {key: value for key, value in day.items() if key != "truck_id"}
        theirs = await client.get(path, params=unnamed, headers=curry_manager)
        assert theirs.status_code == 200, path
        assert theirs.json().get("buckets", theirs.json().get("items")) == []
        crew = await client.get(path, params=unnamed, headers=await sign_in(fleet.taco_crew))
        assert crew.status_code == 403, path
        assert (await client.get(path, params=unnamed, headers=outsiders[1])).status_code == 403


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        (FIGURES, {"from_date": "2026-02-01", "to_date": "2026-01-01"}, "to_date"),
        (FIGURES, {"from_date": "2025-01-01", "to_date": "2026-02-05"}, "to_date"),
        (
            FIGURES,
            {"from_date": "2026-01-01", "to_date": "2026-02-01", "bucket": "hour"},
            "to_date",
        ),
        (FIGURES, {"bucket": "fortnight"}, "bucket"),
        (FIGURES, {"from_date": "yesterday"}, "from_date"),
        (TOP, {"limit": 51}, "limit"),
    ],
)
async def test_a_bad_range_is_a_problem_naming_the_field(
    client, manager, path, query, field
) -> None:
    response = await client.get(path, params=query, headers=manager)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in {error["field"] for error in response.json()["errors"]}


async def test_the_widest_ranges_are_served(client, owner) -> None:
    last = date(2026, 6, 30)
    for bucket, days in (("day", 400), ("week", 400), ("hour", 31)):
        first = last - timedelta(days=days - 1)
        query = {"from_date": str(first), "to_date": str(last), "bucket": bucket}
        assert (await client.get(FIGURES, params=query, headers=owner)).status_code == 200
