"""The public routes: no credential, cacheable by a CDN, and rate-limited per client
address (the controller opts in to the public rate limit, ``http/rate_limits``)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get
from litestar.datastructures import CacheControlHeader, ResponseHeader
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, HeaderParameter, QueryParameter

from fusionx.core.use_cases.queries.list_open_trucks import (
    MAX_RADIUS_KM,
    ListOpenTrucks,
    NearbyTrucksRequest,
)
from fusionx.core.use_cases.queries.view_public_menu import ViewPublicMenu
from fusionx.core.use_cases.queries.view_truck_front import ViewTruckFront
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.etags import held, menu_etag, unchanged
from fusionx.entrypoints.http.openapi import problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
from fusionx.entrypoints.http.schemas.storefront import (
    PublicMenuView,
    PublicTruckPage,
    PublicTruckView,
)

# Short: a wait and a sold-out item must not be stale for long; a CDN may serve a stale
# copy a little longer while it revalidates.
PUBLIC_CACHE = CacheControlHeader(public=True, max_age=15, stale_while_revalidate=30)

Latitude = Annotated[float, QueryParameter(ge=-90, le=90, description="Your latitude")]
Longitude = Annotated[float, QueryParameter(ge=-180, le=180, description="Your longitude")]
RadiusKm = Annotated[
    float, QueryParameter(gt=0, le=MAX_RADIUS_KM, description="How far to look, in km")
]
IfNoneMatch = Annotated[
    str | None,
    HeaderParameter(name="If-None-Match", description="The ETag of the menu the client holds"),
]
_NOT_MODIFIED = {304: ResponseSpec(data_container=None, description="The client's copy is current")}
_ETAG = ResponseHeader(
    name="ETag", description="Weak; send it back as If-None-Match", documentation_only=True
)


class PublicTrucksController(Controller):
    path = "/api/v1/public/trucks"
    tags = ("public",)
    opt = dict(PUBLIC_RATE_LIMIT)  # noqa: RUF012 - Controller declares it per instance
    cache_control = PUBLIC_CACHE

    @get(
        operation_id="listOpenTrucks",
        summary="Trucks open now or later today near a point, nearest first (no sign-in)",
        responses=problem_responses(400, 422, 429, 503),
    )
    async def near(
        self,
        *,
        lat: Latitude,
        lon: Longitude,
        radius_km: RadiusKm = 10.0,
        page: Paging,
        list_open_trucks: UseCase[ListOpenTrucks],
    ) -> PublicTruckPage:
        request = NearbyTrucksRequest(latitude=lat, longitude=lon, radius_km=radius_km, page=page)
        return PublicTruckPage.of(await list_open_trucks.execute(request))

    @get(
        "/{truck_id:uuid}",
        operation_id="getTruckFront",
        summary="One truck's public page: where it is, its hours today, its wait (no sign-in)",
        responses=problem_responses(400, 404, 429, 503),
    )
    async def show(
        self, truck_id: FromPath[UUID], view_truck_front: UseCase[ViewTruckFront]
    ) -> PublicTruckView:
        return PublicTruckView.of(await view_truck_front.execute(truck_id))

    @get(
        "/{truck_id:uuid}/menu",
        operation_id="getPublicMenu",
        summary="What the truck's open shift sells now (no sign-in); 304 while If-None-Match "
        "is current",
        response_headers=[_ETAG],
        responses=_NOT_MODIFIED | problem_responses(400, 404, 429, 503),
    )
    async def menu(
        self,
        *,
        truck_id: FromPath[UUID],
        view_public_menu: UseCase[ViewPublicMenu],
        if_none_match: IfNoneMatch = None,
    ) -> Response[PublicMenuView]:
        public = await view_public_menu.execute(truck_id)
        etag = menu_etag(public)
        if held(if_none_match, etag):
            return unchanged(etag)
        return Response(PublicMenuView.of(truck_id, public), headers={"ETag": etag})
