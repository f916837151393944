"""Browser tests: Debian's Chromium, driven by Playwright for Python, against a real
``fusionx serve`` on a fresh PostgreSQL database (one server for each test module).

Nothing downloads a browser (never ``playwright install``): the tests launch
``/usr/bin/chromium``. Without it they skip, unless ``FUSIONX_REQUIRE_BROWSER=1`` (CI,
whose ``.ci/run`` installs the package) makes that a failure. Every test leaves a
screenshot of where it ended under ``build/screenshots/`` (git-ignored), at each viewport
it runs at.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.served import Server, clean_environment, fusionx

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_VARIABLE = "FUSIONX_REQUIRE_BROWSER"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PASSWORD = "a long enough password"

# Where a cook's tablet and a phone show the pages.
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}

pytestmark = pytest.mark.postgres


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{CHROMIUM} is required ({REQUIRE_VARIABLE}=1) but missing", pytrace=False)
    pytest.skip(f"browser tests skipped: no {CHROMIUM} (apt-get install chromium)")


@dataclass(frozen=True)
class Served:
    """The running server and the CLI environment that reaches its database."""

    url: str
    env: dict[str, str]

    def cli(self, *args: str) -> str:
        return fusionx(self.env, *args).stdout.strip()


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    _need_chromium()
    async with migrated_postgres() as database:
        yield database


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    """Settings a test module's server runs with beyond the database (a module overrides
    this fixture to turn something on)."""
    return {}


@pytest.fixture(scope="module")
def served(
    database: MigratedDatabase,
    server_settings: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    env = clean_environment(
        FUSIONX_DATABASE_URL=database.url, FUSIONX_LOG_FORMAT="json", **server_settings
    )
    log = tmp_path_factory.mktemp("served") / "serve.log"
    with Server(env, log) as server:
        yield Served(server.url, env)


@pytest.fixture(scope="module")
def browser(served: Served) -> Iterator[object]:
    """Chromium. After the server: Playwright's sync API runs an event loop of its own,
    in which pytest-asyncio could not set up the async database fixture."""
    del served
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only where it runs

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def page(browser, served: Served, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context (no cookies) at each viewport, its screenshot saved at the
    end of the test whatever the outcome."""
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(
        base_url=served.url, viewport={"width": width, "height": height}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        context.close()
