"""A staff member signs in through the form, sees the home page and signs out, in
Chromium against a real server on PostgreSQL."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import PASSWORD, Served


@pytest.fixture(scope="module")
def manager(served: Served) -> dict[str, str]:
    truck_id = served.cli("create-truck", "--name", "Taco Titan")
    served.cli("create-truck", "--name", "Somebody Else's")
    email = f"mia-{uuid4().hex[:6]}@example.test"
    served.cli(
        "create-staff", "--email", email, "--password", PASSWORD,
        "--name", "Mia Rossi", "--role", "manager", "--truck", truck_id,
    )  # fmt: skip
    return {"email": email}


def _fill(page: Page, email: str, password: str) -> None:
    page.goto("/app")  # not signed in: sent to the form
    expect(page).to_have_url(re.compile(r"/app/sign-in$"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_and_see_the_home_page(page: Page, manager: dict[str, str]) -> None:
    _fill(page, manager["email"], PASSWORD)

    expect(page).to_have_url(re.compile(r"/app$"))
    expect(page.get_by_text("Signed in as Mia Rossi")).to_be_visible()
    expect(page.get_by_role("heading", name="Taco Titan")).to_be_visible()
    expect(page.get_by_text("Somebody Else's")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["fusionx_session"]["httpOnly"]
    assert "fxs_" not in page.url


def test_sign_out_ends_the_session(page: Page, manager: dict[str, str]) -> None:
    _fill(page, manager["email"], PASSWORD)
    expect(page).to_have_url(re.compile(r"/app$"))

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/app/sign-in$"))
    page.goto("/app")
    expect(page).to_have_url(re.compile(r"/app/sign-in$"))


def test_a_wrong_password_shows_the_problem_on_the_form(
    page: Page, manager: dict[str, str]
) -> None:
    _fill(page, manager["email"], "not the password")

    expect(page).to_have_url(re.compile(r"/app/sign-in$"))
    expect(page.get_by_role("alert")).to_contain_text("email or password")
    expect(page.get_by_label("Email")).to_have_value(manager["email"])
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")


def test_the_page_runs_under_its_content_security_policy(page: Page, served: Served) -> None:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto("/app/sign-in")

    page.wait_for_function("() => window.htmx !== undefined")  # htmx loaded from the app
    assert [text for text in violations if "Content Security Policy" in text] == []


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    return {"FUSIONX_API_DOCS": "true"}  # off by default on PostgreSQL


def test_the_api_docs_page_renders_with_the_outside_world_blocked(
    page: Page, served: Served
) -> None:
    origin = served.url.rstrip("/")
    left: list[str] = []

    def block(route: Route) -> None:
        left.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith(f"{origin}/"), block)
    page.goto("/schema", wait_until="commit")  # the page is large: expect waits below

    title = page.get_by_role("heading", name=re.compile(r"^FusionX"))
    expect(title).to_be_visible(timeout=30_000)
    expect(page.locator("#operations-auth-getMe")).to_be_visible(timeout=20_000)  # tag-id
    assert left == []
