"""The books over HTTP: a manager lists a month of one truck's orders, page by page, and
exports them as CSV whose totals are the summary's; the exports are safe in a
spreadsheet, read in batches, and only for those the books are for."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from fusionx.core.model.exports import ExportKind
from fusionx.core.use_cases.queries.export_records import ExportRecords, ExportRequest
from fusionx.entrypoints.export_files import FORMULA_STARTS, columns, csv_chunk
from fusionx.entrypoints.http.schemas.exports import file_content
from tests.http.conftest import as_staff, place, walk


async def _cancel(client, ticket, headers) -> None:
    body = {"to": "cancelled", "version": ticket["version"], "cancel_reason": "customer_request"}
    response = await client.post(
        f"/api/v1/tickets/{ticket['id']}/transitions", json=body, headers=headers
    )
    assert response.status_code == 200, response.text


@pytest.fixture
async def month(client, fleet, manager, taco_shift, restock) -> dict:
    """Four orders on Taco Titan: one cancelled, one refunded in part, two served."""
    for item in (fleet.burrito, fleet.quesadilla, fleet.horchata):
        await restock(taco_shift, item, 20, manager)
    placed = [
        await place(client, taco_shift, manager, (fleet.burrito, 2), customer_name="Ana"),
        await place(client, taco_shift, manager, (fleet.quesadilla, 1)),
        await place(client, taco_shift, manager, (fleet.horchata, 3), customer_name="=HYPERLINK"),
        await place(client, taco_shift, manager, (fleet.burrito, 1), (fleet.horchata, 1)),
    ]
    await _cancel(client, placed[1]["ticket"], manager)
    refund = {"reason": "kitchen_error", "lines": [{"line": 0, "quantity": 1}]}
    order_id = placed[2]["order"]["id"]
    response = await client.post(f"/api/v1/orders/{order_id}/refunds", json=refund, headers=manager)
    assert response.status_code == 201, response.text
    await walk(client, placed[3]["ticket"], manager, "in_prep", "ready", "completed")
    created = datetime.fromisoformat(placed[0]["order"]["created_at"])
    day = created.astimezone(ZoneInfo(fleet.plaza.timezone)).date()
    return {
        "from_date": str(day.replace(day=1)),
        "to_date": str(day),
        "truck_id": str(fleet.taco.id),
    }


async def test_a_managers_month_lists_and_exports_to_the_summarys_totals(
    client, manager, taco_shift, month
) -> None:
    numbers, cursor = [], None
    while True:
        query = {**month, "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/orders", params=query, headers=manager)).json()
        numbers += [order["number"] for order in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert numbers == [4, 3, 2, 1]

    response = await client.get(
        "/api/v1/exports/orders", params={**month, "format": "csv"}, headers=manager
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    summary = (await client.get(f"/api/v1/shifts/{taco_shift.id}/summary", headers=manager)).json()

    assert len(rows) == summary["orders"] == 4
    assert (
        sum(int(row["total_cents"]) for row in rows if row["ticket_state"])
        == summary["gross_cents"]
    )
    assert sum(int(row["net_cents"]) for row in rows) == summary["net_cents"]
    assert summary["net_cents"] == (
        summary["gross_cents"] - summary["cancelled_cents"] - summary["refunded_cents"]
    )
    assert summary["refunded_cents"] == 350
    assert [row["customer_name"] for row in rows][2] == "'=HYPERLINK"
    assert rows[0]["total_decimal"] == f"{int(rows[0]['total_cents']) / 100:.2f}"


async def test_json_lines_hold_the_same_rows(client, manager, month) -> None:
    response = await client.get(
        "/api/v1/exports/order-lines", params={**month, "format": "jsonl"}, headers=manager
    )
    assert response.headers["content-type"].startswith("application/jsonl")
    lines = [line for line in response.text.splitlines() if line]
    assert len(lines) == 5
    assert '"unit_price_decimal":"9.50"' in response.text


async def test_the_books_are_the_managers_trucks_and_no_one_elses(
    client, fleet, sign_in, outsiders, month
) -> None:
    curry_manager = outsiders[0]
    for path in ("/api/v1/orders", "/api/v1/shifts", "/api/v1/exports/orders"):
        other = await client.get(path, params=month, headers=curry_manager)
        assert other.status_code == 404, path
        unnamed = await client.get(path, headers=curry_manager)
        assert unnamed.status_code == 200, path
        assert "Ana" not in unnamed.text
        crew = await client.get(path, headers=await sign_in(fleet.taco_crew))
        assert crew.status_code == 403, path
        assert (await client.get(path, headers=outsiders[1])).status_code == 403, path


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "not-a-cursor"},
        {"from_date": "2026-02-01", "to_date": "2026-01-01"},
        {"from_date": "1999-12-31"},
        {"q": "x" * 101},
        {"limit": 0},
    ],
)
async def test_bad_filters_are_422_naming_the_field(client, manager, query) -> None:
    response = await client.get("/api/v1/orders", params=query, headers=manager)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_unknown_export_is_not_found(client, manager) -> None:
    assert (await client.get("/api/v1/exports/salaries", headers=manager)).status_code == 404


@pytest.mark.parametrize("kind", list(ExportKind))
@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_text_column_of_every_export_is_safe_in_a_spreadsheet(kind, start) -> None:
    """A row whose every text field starts a formula: each such cell starts with ``'``."""
    texts = [name for name, _, text in columns(kind) if text]
    assert texts or kind is ExportKind.AUDIT
    row = _row_of(kind, start + "cmd|' /C calc'!A0")
    [_, written] = list(csv.reader(io.StringIO(csv_chunk(kind, [row], with_header=True).decode())))
    header = [name for name, _, _ in columns(kind)]
    for name in texts:
        if name == "timezone":  # a valid zone name here, so that local times are written
            continue
        assert written[header.index(name)].startswith("'" + start), (kind, name)


def _row_of(kind: ExportKind, text: str):
    from datetime import UTC  # noqa: PLC0415
    from uuid import uuid4  # noqa: PLC0415

    import msgspec  # noqa: PLC0415

    from fusionx.core.model.exports import ROW_TYPES  # noqa: PLC0415

    values = []
    for field in msgspec.structs.fields(ROW_TYPES[kind]):
        if field.name == "timezone":
            values.append("Europe/Paris")
        elif field.type is datetime:
            values.append(datetime(2026, 1, 5, 12, tzinfo=UTC))
        elif field.type in (int,):
            values.append(-5)
        elif field.type is bool:
            values.append(True)
        elif "str" in str(field.type):
            values.append(text)
        else:
            values.append(uuid4())
    return ROW_TYPES[kind](*values)


async def test_an_export_reads_the_database_in_batches(adapters, fleet, client, manager, month):
    export = await ExportRecords(adapters.reader, batch=2).execute(
        as_staff(fleet.taco_manager), ExportRequest(kind="order-lines")
    )
    sizes = [len(batch) async for batch in export.batches()]
    assert sizes == [2, 2, 1]


def test_the_document_names_both_formats_and_every_kinds_columns() -> None:
    content = file_content()
    assert set(content) == {"text/csv", "application/jsonl"}
    assert set(content["text/csv"]["x-columns"]) == {kind.value for kind in ExportKind}
