"""The pages' own files (stylesheet, vendored scripts), served by the app from the package.

Their URL holds a hash of every file's bytes (``/app/static/<hash>/app.css``), so a
browser may keep them a year: a release that changes a file changes every URL.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from litestar.datastructures import CacheControlHeader
from litestar.router import Router
from litestar.static_files import create_static_files_router

from fusionx.entrypoints.web.access import PageAccess, page

STATIC_DIRECTORY = Path(__file__).parent / "static"
STATIC_PREFIX = "/app/static"
# A year, and never revalidated: the URL changes with the content.
FOREVER = CacheControlHeader(public=True, max_age=365 * 24 * 3600, immutable=True)


@cache
def assets_version() -> str:
    """A hash of the names and bytes of every static file."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIRECTORY.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(STATIC_DIRECTORY).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def asset_url(name: str) -> str:
    """Where a page finds the static file ``name`` (``"app.css"``, ``"vendor/…"``)."""
    return f"{STATIC_PREFIX}/{assets_version()}/{name}"


def static_router() -> Router:
    return create_static_files_router(
        path=f"{STATIC_PREFIX}/{assets_version()}",
        directories=[STATIC_DIRECTORY],
        cache_control=FOREVER,
        include_in_schema=False,
        opt=page(PageAccess.PUBLIC),
        name="page_assets",
    )
