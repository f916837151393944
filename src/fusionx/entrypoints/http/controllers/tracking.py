"""An order's tracking link: the one route family a customer reaches with no account.

The token in the path is the only credential: ``guest`` turns it into the
``GuestPrincipal`` of its order (404 for any other string), and the use cases decide
what that principal may do, as they would for a signed-in customer's own order: a
customer route for the same order adds a handler that names ``CustomerPrincipal``
instead, and calls the same use cases. Rate-limited per client address, as every
public route is.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Annotated

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, HeaderParameter, JSONBody, SkipValidation
from litestar.response import ServerSentEvent, ServerSentEventMessage

from fusionx.core.model.principals import GuestPrincipal
from fusionx.core.use_cases.commands.change_review import ChangeReview
from fusionx.core.use_cases.commands.review_order import ReviewOrder
from fusionx.core.use_cases.queries.follow_tracked_order import FollowTrackedOrder, TrackedUpdate
from fusionx.core.use_cases.queries.resolve_tracking import ResolveTracking
from fusionx.core.use_cases.queries.view_tracked_order import ViewTrackedOrder
from fusionx.entrypoints.http.dependencies import AppAdapters, UseCase
from fusionx.entrypoints.http.openapi import problem_responses
from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
from fusionx.entrypoints.http.schemas.reviews import ReviewBody, ReviewChangeBody, ReviewView
from fusionx.entrypoints.http.schemas.tracking import TrackedOrderView
from fusionx.entrypoints.shutdown import Drain

LastEventId = Annotated[
    int | None,
    HeaderParameter(
        name="Last-Event-ID",
        ge=0,
        le=2**31 - 1,  # like every integer a client sends: a shift's log is far shorter
        description="The id of the last event the client holds, to resume after it",
    ),
]
# Tells a browser's EventSource how long to wait before it reconnects, in ms.
RECONNECT_MS = 3000
# A quiet stream says it is alive this often (proxies close idle connections after 30 to
# 60 s), and looks this often whether its worker is draining.
KEEP_ALIVE_SECONDS = 15.0
DRAIN_CHECK_SECONDS = 5.0


async def messages(
    updates: AsyncIterator[TrackedUpdate],
    drain: Drain,
    *,
    keep_alive: float = KEEP_ALIVE_SECONDS,
    drain_check: float = DRAIN_CHECK_SECONDS,
) -> AsyncIterator[ServerSentEventMessage]:
    """Each update as an ``order`` event (its id the shift's seq, to resume from); a
    comment after ``keep_alive`` seconds without one; the end once the worker drains, so
    the browser reconnects with ``Last-Event-ID`` to another and misses nothing."""
    pending: asyncio.Future[TrackedUpdate] | None = None
    quiet = 0.0
    try:
        while not drain.draining:
            pending = pending or asyncio.ensure_future(anext(updates))
            done, _ = await asyncio.wait({pending}, timeout=drain_check)
            if not done:
                quiet += drain_check
                if quiet >= keep_alive:
                    quiet = 0.0
                    yield ServerSentEventMessage(comment="keep-alive")
                continue
            quiet, update, pending = 0.0, pending, None
            try:
                found = update.result()
            except StopAsyncIteration:
                return
            yield ServerSentEventMessage(
                id=found.seq,
                event="order",
                data=msgspec.json.encode(TrackedOrderView.of(found.order)).decode(),
                retry=RECONNECT_MS,
            )
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending


# The holder of the path's tracking token (see ``provide_guest``).
Guest = NamedDependency[SkipValidation[GuestPrincipal]]


async def provide_guest(
    token: FromPath[str], resolve_tracking: UseCase[ResolveTracking]
) -> GuestPrincipal:
    return await resolve_tracking.execute(token)


class TrackingController(Controller):
    path = "/api/v1/track/{token:str}"
    tags = ("tracking",)
    opt = dict(PUBLIC_RATE_LIMIT)  # noqa: RUF012 - Controller declares it per instance
    dependencies = {"guest": Provide(provide_guest)}  # noqa: RUF012 - as above

    @get(
        operation_id="getTrackedOrder",
        summary="The order of this tracking link, as its customer follows it (no sign-in)",
        description="The JSON beneath the tracking page: the link a customer is given "
        "and sent opens the page `/app/shop/track/{token}`, which reads this.",
        responses=problem_responses(400, 404, 429, 503),
    )
    async def show(
        self, guest: Guest, view_tracked_order: UseCase[ViewTrackedOrder]
    ) -> TrackedOrderView:
        return TrackedOrderView.of(await view_tracked_order.execute(guest, guest.order_id))

    @get(
        "/events",
        operation_id="followTrackedOrder",
        summary="The order live, as Server-Sent Events: the order after each change to it",
        responses=problem_responses(400, 404, 409, 422, 429, 503),
    )
    async def events(
        self,
        guest: Guest,
        follow_tracked_order: UseCase[FollowTrackedOrder],
        adapters: AppAdapters,
        last_event_id: LastEventId = None,
    ) -> ServerSentEvent:
        updates = await follow_tracked_order.open(guest, guest.order_id, last_event_id or 0)
        return ServerSentEvent(
            messages(updates, adapters.drain), headers={"Cache-Control": "no-store"}
        )

    @post(
        "/review",
        operation_id="reviewTrackedOrder",
        summary="Review the order once it was picked up: 1 to 5 stars, and a comment",
        responses=problem_responses(400, 404, 409, 413, 422, 429, 503),
    )
    async def review(
        self, guest: Guest, data: JSONBody[ReviewBody], review_order: UseCase[ReviewOrder]
    ) -> ReviewView:
        return ReviewView.of(await review_order.execute(guest, guest.order_id, data.to_request()))

    @patch(
        "/review",
        operation_id="changeTrackedOrderReview",
        summary="Change the order's review, within 24 hours of writing it",
        responses=problem_responses(400, 404, 409, 413, 422, 429, 503),
    )
    async def change_review(
        self, guest: Guest, data: JSONBody[ReviewChangeBody], change_review: UseCase[ChangeReview]
    ) -> ReviewView:
        return ReviewView.of(await change_review.execute(guest, guest.order_id, data.to_request()))
