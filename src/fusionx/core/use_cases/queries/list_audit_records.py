from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.audit import AuditQuery
from fusionx.core.model.fleet_events import FleetEvent, FleetEventType, Stream
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import audit_scope, require_truck_scope
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.unit_of_work import UnitOfWork


class AuditRequest(msgspec.Struct, frozen=True, kw_only=True):
    query: AuditQuery = AuditQuery()
    truck_id: UUID | None = None
    page: PageRequest = PageRequest()


class ListAuditRecords:
    """The audit trail, newest first: who changed what, from where, before and after.

    Rules:
    - owners and admins read every record, the fleet's own (locations, staff, the
      catalogue) included; managers read their trucks' records only; crew, devices and
      customers may not read it;
    - a truck outside the caller's scope, or none at all, is not found (404); an actor
      or a subject is a filter, and one that matches nothing lists nothing;
    - filters: actor, truck, subject (type, and id), action (an event type), and a time
      range ``[since, until)``; ``since`` comes before ``until``.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, request: AuditRequest) -> Page[FleetEvent]:
        trucks = audit_scope(principal)
        streams: frozenset[Stream] | None = None
        if request.truck_id is not None:
            require_truck_scope(principal, request.truck_id, "truck", request.truck_id)
            streams = frozenset({Stream.truck(request.truck_id)})
        elif trucks is not None:
            streams = frozenset(Stream.truck(truck_id) for truck_id in trucks)
        _check(request.query)
        async with self._uow as uow:
            await require_truck_exists(uow, request.truck_id)
            return await uow.fleet_events.search(request.query, streams, request.page)


def _check(query: AuditQuery) -> None:
    for field, at in (("since", query.since), ("until", query.until)):
        if at is not None and at.utcoffset() is None:
            raise InvalidInput(field, Message("audit.filter.no_time_zone"))
    if query.since is not None and query.until is not None and query.since >= query.until:
        raise InvalidInput("until", Message("audit.filter.until_before_since"))
    if query.action is not None and query.action not in set(FleetEventType):
        raise InvalidInput("action", Message("audit.filter.unknown_action"))
    if query.subject_id is not None and query.subject_type is None:
        raise InvalidInput("subject_type", Message("audit.filter.subject_id_alone"))
