from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, MediaType, Response, get, post
from litestar.datastructures import CacheControlHeader, ResponseHeader
from litestar.exceptions import ValidationException
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from fusionx.core.messages import Message
from fusionx.core.model.tickets import OPEN_STATES, TicketState
from fusionx.core.use_cases.commands.transition_ticket import TransitionTicket
from fusionx.core.use_cases.queries.view_shift import FeedUnchanged, ViewShift
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.etags import feed_etag, held_feed, unchanged
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.tickets import (
    KdsFeedView,
    TicketView,
    TransitionBody,
    feed_body,
)

# `state` is a name Litestar reserves for the app state, so the parameter is aliased; and
# as Litestar names an aliased parameter by its Python name in a 422, the values are
# checked by `ticket_states`, which names the `state` the client sent.
States = Annotated[
    tuple[str, ...],
    QueryParameter(
        name="state",
        description="Repeat to ask for several states; the open ones by default",
        schema_extra={"items": Schema(type=OpenAPIType.STRING, enum=list(TicketState))},
    ),
]
IfNoneMatch = Annotated[
    str | None,
    HeaderParameter(name="If-None-Match", description="The ETag of the feed the client holds"),
]
_NOT_MODIFIED = {304: ResponseSpec(data_container=None, description="The client's copy is current")}
_ETAG = ResponseHeader(
    name="ETag",
    description="Weak; send it back as If-None-Match",
    documentation_only=True,
)


def ticket_states(values: tuple[str, ...]) -> frozenset[TicketState]:
    """The feed's state filter: the open states unless the client names some."""
    try:
        return frozenset(TicketState(value) for value in values) if values else OPEN_STATES
    except ValueError:
        message = Message("input.one_of", {"choices": ", ".join(TicketState)})
        raise ValidationException(extra=[{"key": "state", "message": message}]) from None


class TicketsController(Controller):
    path = "/api/v1/tickets"
    tags = ("kitchen",)
    security = BEARER

    @post(
        "/{ticket_id:uuid}/transitions",
        status_code=200,
        operation_id="transitionTicket",
        summary="Move a ticket from the version seen: on, hold or resume, recall, or cancel it",
        responses=problem_responses(400, 401, 404, 409, 413, 422),
    )
    async def transition(
        self,
        ticket_id: FromPath[UUID],
        data: JSONBody[TransitionBody],
        principal: CurrentPrincipal,
        transition_ticket: UseCase[TransitionTicket],
    ) -> TicketView:
        return TicketView.of(await transition_ticket.execute(principal, data.to_request(ticket_id)))


class KitchenFeedController(Controller):
    path = "/api/v1/shifts/{shift_id:uuid}/tickets"
    tags = ("kitchen",)
    security = BEARER

    @get(
        operation_id="getKitchenFeed",
        summary="The kitchen display's tickets, oldest first; 304 while If-None-Match is current",
        cache_control=CacheControlHeader(no_cache=True),
        response_headers=[_ETAG],
        responses=_NOT_MODIFIED | problem_responses(400, 401, 404, 422),
    )
    async def feed(
        self,
        *,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_shift: UseCase[ViewShift],
        wanted: States = (),
        if_none_match: IfNoneMatch = None,
    ) -> Response[KdsFeedView]:
        states = ticket_states(wanted)
        feed = await view_shift.feed_unless_held(
            principal, shift_id, states, held_feed(if_none_match, states)
        )
        etag = feed_etag(feed.last_seq, states)
        if isinstance(feed, FeedUnchanged):
            return unchanged(etag)
        # The store's JSON as it came, in the shape KdsFeedView documents (and the tests of
        # every store prove): bytes, which Litestar sends as they are.
        body: Response[Any] = Response(
            feed_body(shift_id, feed), media_type=MediaType.JSON, headers={"ETag": etag}
        )
        return body
