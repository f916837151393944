"""Every route taking a day range (history, exports, analytics, and any added later)
answers a reversed or malformed one with a problem naming the query parameter the
client sent: ``from_date`` or ``to_date``, never a name of the code's own (over
GraphQL, the argument as written: ``toDate``)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.core.model.history import FIRST_DAY_FIELD, LAST_DAY_FIELD
from tests.http.conftest import Headers

PROBLEM = "application/problem+json"
GRAPHQL = "/api/v1/graphql"
# A value for each path parameter of a day-range route.
PATH_VALUES = {"kind": "orders"}
# Known today: a route found beyond these is tested too, one lost fails this list.
KNOWN = {
    "/api/v1/shifts",
    "/api/v1/orders",
    "/api/v1/exports/{kind}",
    "/api/v1/analytics/figures",
    "/api/v1/analytics/top-items",
}
CASES = [
    ({FIRST_DAY_FIELD: "2026-02-01", LAST_DAY_FIELD: "2026-01-01"}, LAST_DAY_FIELD),
    ({FIRST_DAY_FIELD: "yesterday"}, FIRST_DAY_FIELD),
    ({FIRST_DAY_FIELD: "2026-01-01", LAST_DAY_FIELD: "2026-13-45"}, LAST_DAY_FIELD),
]


def _day_range_routes(app: Litestar) -> list[str]:
    """The GET routes with a day-ish query parameter; each must take the day range's."""
    found = []
    for path, item in app.openapi_schema.to_schema()["paths"].items():
        operation: dict[str, Any] = item.get("get") or {}
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if any("date" in name or "day" in name for name in names):
            assert {FIRST_DAY_FIELD, LAST_DAY_FIELD} <= names, (path, names)
            found.append(path)
    return found


def test_the_day_range_routes_are_the_known_ones(app: Litestar) -> None:
    assert set(_day_range_routes(app)) >= KNOWN


@pytest.mark.parametrize(("query", "field"), CASES)
async def test_a_bad_day_range_names_the_parameter_sent(
    client: AsyncTestClient[Litestar],
    app: Litestar,
    manager: Headers,
    query: dict[str, str],
    field: str,
) -> None:
    for route in _day_range_routes(app):
        path = route.format(**PATH_VALUES)
        response = await client.get(path, params=query, headers=manager)

        assert response.status_code in (400, 422), (path, response.text)
        assert response.headers["content-type"].startswith(PROBLEM), path
        assert {error["field"] for error in response.json()["errors"]} == {field}, path


@pytest.mark.parametrize("field", ["orders", "shifts"])
async def test_a_reversed_day_range_over_graphql_names_the_argument_sent(
    client: AsyncTestClient[Litestar], manager: Headers, field: str
) -> None:
    query = f'{{ {field}(fromDate: "2026-02-01", toDate: "2026-01-01") {{ items {{ id }} }} }}'

    answer = await client.post(GRAPHQL, json={"query": query}, headers=manager)

    [error] = answer.json()["errors"]
    assert error["extensions"]["field"] == "toDate", answer.text
