"""The OpenAPI document: its metadata, the bearer scheme, the documented problem responses,
and where it is served: ``/schema/openapi.json`` always, the browsable page at ``/schema``
when the docs page is public (its scripts and styles are FusionX's own, under
``/schema/assets``, so it works with no internet)."""

from __future__ import annotations

from http import HTTPStatus
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any

from litestar import MediaType, Request, Router
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPIMediaType,
    OpenAPIResponse,
    Reference,
    SecurityRequirement,
    SecurityScheme,
)
from litestar.static_files import create_static_files_router

from fusionx.entrypoints.http.asyncapi import asyncapi_document
from fusionx.entrypoints.http.contract import openapi_document
from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
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
    429: "Too many attempts, or too many requests from one address: wait `retry_after` seconds",
    502: "A provider refused: the mail server (nothing was done), or the payment gateway "
    "(the refund is kept as failed, `refund_id`)",
    503: "Not ready (see `problems`), or the payment gateway did not answer: retry",
}


def problem_descriptions(*statuses: int) -> dict[str, OpenAPIResponse]:
    """The same responses as ``problem_responses``, as they appear in the document."""
    media = OpenAPIMediaType(schema=Reference(ref="#/components/schemas/ProblemDetails"))
    return {
        str(status): OpenAPIResponse(
            description=_WHEN.get(status, HTTPStatus(status).phrase),
            content={PROBLEM_MEDIA_TYPE: media},
        )
        for status in statuses
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


SCHEMA_PATH = "/schema"
ASSETS_PATH = "/assets"
_SWAGGER_UI = Path(str(files("fusionx.entrypoints.http") / "static" / "swagger-ui"))


class _OpenApiJson(JsonRenderPlugin):
    """``/schema/openapi.json``: the document with bodies described by msgspec."""

    def render(self, request: Request[Any, Any, Any], _: dict[str, Any]) -> bytes:
        return super().render(request, openapi_document(request.app))


class _AsyncApiJson(JsonRenderPlugin):
    """``/schema/asyncapi.json``: the event stream's contract, beside the OpenAPI one."""

    def __init__(self) -> None:
        super().__init__(path="/asyncapi.json", media_type=MediaType.JSON)

    def render(self, request: Request[Any, Any, Any], _: dict[str, Any]) -> bytes:
        return super().render(request, asyncapi_document())


class _OfflineSwagger(SwaggerRenderPlugin):
    """Swagger UI from the copy shipped in the package, not from a CDN."""

    def __init__(self) -> None:
        assets = SCHEMA_PATH + ASSETS_PATH
        super().__init__(
            path=["/", "/swagger"],
            js_url=f"{assets}/swagger-ui-bundle.js",
            css_url=f"{assets}/swagger-ui.css",
            standalone_preset_js_url=f"{assets}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/png' href='{assets}/favicon-32x32.png'>",
        )

    def render(self, request: Request[Any, Any, Any], _: dict[str, Any]) -> bytes:
        return super().render(request, openapi_document(request.app))

    def receive_router(self, router: Router) -> None:
        super().receive_router(router)
        router.register(
            create_static_files_router(
                ASSETS_PATH, directories=[_SWAGGER_UI], include_in_schema=False
            )
        )


def openapi_config(*, docs_page: bool) -> OpenAPIConfig:
    """``docs_page``: whether ``/schema`` shows the browsable page (else only the JSON)."""
    config = OpenAPIConfig(
        title="FusionX",
        version=version("fusionx"),
        description="Backend for a fleet of food trucks. Errors are RFC 9457 problem details.",
        path=SCHEMA_PATH,
        # Anyone may fetch the documents, the largest answers we give: rate-limited.
        openapi_router=Router(
            SCHEMA_PATH,
            route_handlers=[],
            opt=dict(PUBLIC_RATE_LIMIT),
            include_in_schema=False,
        ),
        render_plugins=[
            _OpenApiJson(),
            _AsyncApiJson(),
            *([_OfflineSwagger()] if docs_page else []),
        ],
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
    # Without the page, /schema itself is not found rather than the JSON again.
    config.default_plugin = None if not docs_page else config.default_plugin
    return config
