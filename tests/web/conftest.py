"""The pages over in-memory adapters, driven through Litestar's client like a browser:
cookies kept between requests, forms posted url-encoded."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.web.csrf import CSRF_FIELD

_CSRF_INPUT = re.compile(rf'name="{CSRF_FIELD}" value="([^"]+)"')


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def app(settings: Settings, adapters: Adapters) -> Litestar:
    return create_app(settings, adapters)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app) as client:
        yield client


def csrf_token_in(html: str) -> str:
    """The CSRF token a page put in its forms."""
    found = _CSRF_INPUT.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def sign_in_form(client: AsyncTestClient[Litestar]) -> str:
    """Open the sign-in form, as a browser would first; returns its CSRF token."""
    page = await client.get("/app/sign-in")
    assert page.status_code == 200, page.text
    return csrf_token_in(page.text)


async def sign_in(client: AsyncTestClient[Litestar], email: str, password: str) -> None:
    token = await sign_in_form(client)
    signed_in = await client.post(
        "/app/sign-in",
        data={"email": email, "password": password, CSRF_FIELD: token},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303, signed_in.text
