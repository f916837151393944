"""The browsable API page works with no internet, and is shown only where it should be."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from litestar.testing import AsyncTestClient

from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings, load_settings

# What a browser fetches by itself from a page: scripts, styles, icons, images, frames.
_FETCHED = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if (tag, name) in _FETCHED and value]


def references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    return parser.found


def is_ours(url: str) -> bool:
    """A path on this server: no scheme, no host, no protocol-relative ``//host``."""
    return url.startswith("/") and not url.startswith("//")


@pytest.fixture
def settings() -> Settings:
    return Settings(api_docs=True)


@pytest.mark.parametrize("page", ["/schema", "/schema/swagger"])
async def test_the_page_and_everything_it_loads_come_from_fusionx(client, page):
    response = await client.get(page)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    urls = references(response.text)
    assert {url.rsplit(".", 1)[-1] for url in urls} >= {"js", "css"}
    assert [url for url in urls if not is_ours(url)] == []
    for url in urls:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert asset.content, url
        if url.endswith(".css"):
            assert [u for u in _CSS_URL.findall(asset.text) if not u.startswith("data:")] == []


async def test_without_the_page_the_documents_are_still_served(adapters):
    app = create_app(Settings(api_docs=False), adapters)
    async with AsyncTestClient(app) as client:
        for page in ("/schema", "/schema/swagger", "/schema/assets/swagger-ui.css"):
            assert (await client.get(page)).status_code == 404, page
        assert (await client.get("/schema/openapi.json")).status_code == 200


def test_the_page_is_on_for_the_embedded_database_and_off_for_a_server(tmp_path):
    server = "postgresql+asyncpg://fusionx@db.internal/fusionx"

    assert load_settings({"FUSIONX_DATA_DIR": str(tmp_path)}).api_docs_page
    assert not load_settings({"FUSIONX_DATABASE_URL": server}).api_docs_page
    assert load_settings({"FUSIONX_DATABASE_URL": server, "FUSIONX_API_DOCS": "true"}).api_docs_page
    assert not load_settings({"FUSIONX_API_DOCS": "false"}).api_docs_page
