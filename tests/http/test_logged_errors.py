"""An error the server did not foresee is logged with its traceback, for whoever fixes
it, but without the customers' contact details a failed statement was given."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.http.conftest import LogLines
from tests.support.databases import MigratedDatabase
from tests.support.hostile import Scene

pytestmark = pytest.mark.postgres

PHONE, EMAIL = "+14155550199", "private.person@example.com"
# A fault no code path foresees: the orders table refuses every new row.
_FAULT = (
    (
        "CREATE FUNCTION refuse_orders() RETURNS trigger AS $$"
        " BEGIN RAISE EXCEPTION 'orders are refused'; END $$ LANGUAGE plpgsql"
    ),
    (
        "CREATE TRIGGER refuse_orders BEFORE INSERT ON orders"
        " FOR EACH ROW EXECUTE FUNCTION refuse_orders()"
    ),
)


async def test_a_failed_statement_is_logged_without_its_parameters(
    postgres_scene: Scene, postgres_database: MigratedDatabase, log_lines: LogLines
) -> None:
    async with postgres_database.engine.begin() as connection:
        for statement in _FAULT:
            await connection.execute(text(statement))
    shift_id, item_id = postgres_scene.ids["shift_id"], postgres_scene.ids["item_id"]
    try:
        response = await postgres_scene.client.post(
            f"/api/v1/shifts/{shift_id}/orders",
            json={
                "lines": [{"item_id": item_id, "quantity": 1}],
                "customer_name": "Pat",
                "customer_phone": PHONE,
                "customer_email": EMAIL,
            },
            headers=postgres_scene.owner_headers,
        )
    finally:
        async with postgres_database.engine.begin() as connection:
            await connection.execute(text("DROP TRIGGER refuse_orders ON orders"))
            await connection.execute(text("DROP FUNCTION refuse_orders()"))

    assert response.status_code == 500
    [logged] = [r for r in log_lines.records() if r.get("event") == "unhandled_exception"]
    assert "orders are refused" in logged["exception"]
    assert PHONE not in log_lines.text
    assert EMAIL not in log_lines.text
