"""Reviews as the truck's managers see them, and hiding an abusive one."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.hide_review import HideReview
from fusionx.core.use_cases.queries.list_truck_reviews import ListTruckReviews
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.reviews import (
    HideReviewBody,
    ManagedReviewView,
    ReviewPage,
)


class TruckReviewsController(Controller):
    path = "/api/v1/trucks/{truck_id:uuid}/reviews"
    tags = ("reviews",)
    security = BEARER

    @get(
        operation_id="listTruckReviews",
        summary="The truck's reviews, newest first, hidden ones too, and its rating",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def list_reviews(
        self,
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        list_truck_reviews: UseCase[ListTruckReviews],
        page: Paging,
    ) -> ReviewPage:
        reviews, ratings = await list_truck_reviews.execute(principal, truck_id, page)
        return ReviewPage.with_ratings(reviews, ratings)


class ReviewsController(Controller):
    path = "/api/v1/reviews"
    tags = ("reviews",)
    security = BEARER

    @post(
        "/{review_id:uuid}/hide",
        operation_id="hideReview",
        summary="Hide an abusive review from the public, with the reason (audited)",
        status_code=200,
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def hide(
        self,
        review_id: FromPath[UUID],
        data: JSONBody[HideReviewBody],
        principal: CurrentPrincipal,
        hide_review: UseCase[HideReview],
    ) -> ManagedReviewView:
        return ManagedReviewView.of(
            await hide_review.execute(principal, review_id, data.to_request())
        )
