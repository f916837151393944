"""The OpenAPI document: its metadata, the bearer scheme and the documented problem responses."""

from __future__ import annotations

from http import HTTPStatus
from importlib.metadata import version

from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme

from fusionx.entrypoints.http.schemas.problems import PROBLEM_MEDIA_TYPE, ProblemDetails

BEARER_SCHEME = "BearerToken"
# Put on every route that needs a credential: `security=BEARER`.
BEARER: tuple[SecurityRequirement, ...] = ({BEARER_SCHEME: []},)

_WHEN = {
    400: "The request is malformed, e.g. a body that is not JSON",
    401: "No credential, or one that is unknown, expired or revoked",
    403: "The caller's role does not allow this",
    404: "Not found, or outside the caller's trucks",
    409: "Clashes with the current state",
    413: "The request body is too large",
    422: "Some values are not acceptable: see `errors`",
    429: "Too many attempts: wait `retry_after` seconds",
    502: "The payment gateway refused or could not be reached; nothing was done",
    503: "Not ready: see `problems`",
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem+json responses a route can give: ``problem_responses(401, 404)``."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=_WHEN.get(status, HTTPStatus(status).phrase),
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
        )
        for status in statuses
    }


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="FusionX",
        version=version("fusionx"),
        description="Backend for a fleet of food trucks. Errors are RFC 9457 problem details.",
        path="/schema",
        render_plugins=[SwaggerRenderPlugin()],
        components=Components(
            security_schemes={
                BEARER_SCHEME: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="A staff session token (fxs_…) or a device credential (fxd_…)",
                )
            }
        ),
    )
