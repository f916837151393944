from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.params import PathParameter, QueryParameter
from litestar.response import Stream

from fusionx.core.model.exports import ExportKind
from fusionx.core.model.history import DayRange
from fusionx.core.use_cases.queries.export_records import ExportRecords, ExportRequest
from fusionx.entrypoints.export_files import MEDIA_TYPES, ExportFormat, export_bytes, file_name
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.exports import DESCRIPTION, file_content

_KINDS = "What: " + ", ".join(kind.value for kind in ExportKind)


class ExportsController(Controller):
    """The books as files: owners and admins the fleet's, managers their trucks'."""

    path = "/api/v1/exports"
    tags = ("exports",)
    security = BEARER

    @get(
        "/{kind:str}",
        operation_id="exportRecords",
        summary="Orders, lines, payments, refunds, cancellations, stock or audit as a file",
        description=DESCRIPTION,
        responses=problem_responses(400, 401, 403, 404, 422),
        # contract.py puts both formats in the document as the 200's content.
        opt={"file_content": file_content},
    )
    async def export(
        self,
        *,
        kind: Annotated[str, PathParameter(max_length=40, description=_KINDS)],
        principal: CurrentPrincipal,
        export_records: UseCase[ExportRecords],
        format: Annotated[  # noqa: A002 - the parameter's public name
            ExportFormat, QueryParameter(description="csv or jsonl")
        ] = ExportFormat.CSV,
        truck_id: Annotated[UUID | None, QueryParameter(description="One truck's")] = None,
        from_date: Annotated[date | None, QueryParameter(description="First day (local)")] = None,
        to_date: Annotated[
            date | None, QueryParameter(description="Last day (local), included")
        ] = None,
    ) -> Stream:
        request = ExportRequest(
            kind=kind, truck_id=truck_id, days=DayRange(first=from_date, last=to_date)
        )
        export = await export_records.execute(principal, request)
        return Stream(
            export_bytes(export, format),
            media_type=MEDIA_TYPES[format],
            headers={
                "Content-Disposition": f'attachment; filename="{file_name(export.kind, format)}"',
                "Cache-Control": "no-store",
            },
        )
