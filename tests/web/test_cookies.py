"""The session and CSRF cookies: what a browser is told to do with them."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.web.csrf import CSRF_COOKIE, CSRF_FIELD
from fusionx.entrypoints.web.session import SESSION_COOKIE
from tests.factories import PASSWORD, make_staff
from tests.web.conftest import sign_in_form


def _set_cookie(response, name: str) -> dict[str, str | bool]:
    """The attributes of the ``Set-Cookie`` of ``name``, lower-cased names."""
    [header] = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    attributes: dict[str, str | bool] = {}
    for part in header.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        attributes[key.lower()] = value or True
    return attributes


async def _signed_in(client, adapters):
    staff = await make_staff(adapters)
    token = await sign_in_form(client)
    return await client.post(
        "/app/sign-in",
        data={"email": staff.email, "password": PASSWORD, CSRF_FIELD: token},
        follow_redirects=False,
    )


async def test_the_session_cookie_is_http_only_lax_and_only_for_the_pages(client, adapters):
    session = _set_cookie(await _signed_in(client, adapters), SESSION_COOKIE)

    assert session["httponly"] is True
    assert session["samesite"] == "lax"
    assert session["path"] == "/app"
    assert "secure" not in session  # plain http here: a Secure cookie would never come back
    assert "expires" in session


async def test_the_csrf_cookie_is_http_only_and_strict(client):
    form = await client.get("/app/sign-in")

    csrf = _set_cookie(form, CSRF_COOKIE)
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "strict"
    assert csrf["path"] == "/app"


async def test_over_tls_both_cookies_are_secure(adapters):
    app = create_app(Settings(public_url="https://trucks.example.test"), adapters)
    async with AsyncTestClient(app, base_url="https://trucks.example.test") as client:
        form = await client.get("/app/sign-in")
        signed_in = await _signed_in(client, adapters)

    assert _set_cookie(form, CSRF_COOKIE)["secure"] is True
    assert _set_cookie(signed_in, SESSION_COOKIE)["secure"] is True


async def test_signing_in_and_the_pages_answer_no_store(client, adapters):
    assert (await _signed_in(client, adapters)).headers["cache-control"] == "no-store"
    assert (await client.get("/app")).headers["cache-control"] == "no-store"
    assert (await client.get("/app/sign-in")).headers["cache-control"] == "no-store"
