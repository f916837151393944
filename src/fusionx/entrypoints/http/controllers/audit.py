from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.params import QueryParameter

from fusionx.core.model.audit import AuditQuery
from fusionx.core.model.fleet_events import FleetEventType
from fusionx.core.use_cases.queries.list_audit_records import AuditRequest, ListAuditRecords
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.audit import AuditPage

Since = Annotated[datetime | None, QueryParameter(description="At or after (RFC 3339)")]
Until = Annotated[datetime | None, QueryParameter(description="Before (RFC 3339)")]
SubjectType = Annotated[
    str | None, QueryParameter(max_length=40, description="What changed: truck, menu_item…")
]
SubjectId = Annotated[str | None, QueryParameter(max_length=64, description="Its id")]


class AuditController(Controller):
    """The audit trail: owners and admins read it all, managers their trucks' part."""

    path = "/api/v1/audit"
    tags = ("audit",)
    security = BEARER

    @get(
        operation_id="listAuditRecords",
        summary="Privileged changes, newest first: who, from where, on what, before and after",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def list(
        self,
        *,
        principal: CurrentPrincipal,
        list_audit_records: UseCase[ListAuditRecords],
        actor_id: Annotated[UUID | None, QueryParameter(description="Who")] = None,
        truck_id: Annotated[UUID | None, QueryParameter(description="A truck's")] = None,
        subject_type: SubjectType = None,
        subject_id: SubjectId = None,
        action: Annotated[FleetEventType | None, QueryParameter(description="What")] = None,
        since: Since = None,
        until: Until = None,
        page: Paging,
    ) -> AuditPage:
        query = AuditQuery(
            actor_id=actor_id,
            subject_type=subject_type,
            subject_id=subject_id,
            action=None if action is None else action.value,
            since=since,
            until=until,
        )
        request = AuditRequest(query=query, truck_id=truck_id, page=page)
        return AuditPage.of(await list_audit_records.execute(principal, request))
