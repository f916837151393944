"""The JSON API beside the pages: Bearer tokens, no CSRF token, no page cookie."""

from __future__ import annotations

from fusionx.entrypoints.web.csrf import CSRF_COOKIE
from fusionx.entrypoints.web.session import SESSION_COOKIE
from tests.factories import PASSWORD, make_staff
from tests.web.conftest import sign_in


async def test_the_api_takes_bearer_tokens_without_a_csrf_token(client, adapters):
    staff = await make_staff(adapters)

    login = await client.post(
        "/api/v1/auth/login", json={"email": staff.email, "password": PASSWORD}
    )
    bearer = {"Authorization": f"Bearer {login.json()['token']}"}
    out = await client.post("/api/v1/auth/logout", headers=bearer)

    assert login.status_code == 200
    assert out.status_code == 204
    assert "set-cookie" not in login.headers
    assert CSRF_COOKIE not in client.cookies


async def test_a_page_session_cookie_opens_no_api_route(client, adapters):
    staff = await make_staff(adapters)
    await sign_in(client, staff.email, PASSWORD)
    secret = client.cookies[SESSION_COOKIE]

    me = await client.get("/api/v1/me", headers={"Cookie": f"{SESSION_COOKIE}={secret}"})

    assert me.status_code == 401
