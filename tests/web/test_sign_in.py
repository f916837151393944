"""Signing in and out of the pages with a staff member's email and password."""

from __future__ import annotations

from fusionx.core.model.staff import Role
from fusionx.entrypoints.web.csrf import CSRF_FIELD
from fusionx.entrypoints.web.session import SESSION_COOKIE
from tests.factories import PASSWORD, make_staff, make_truck
from tests.web.conftest import csrf_token_in, sign_in, sign_in_form


async def test_signing_in_opens_the_home_page_with_the_members_trucks(client, adapters):
    truck = await make_truck(adapters, name="Taco Titan")
    await make_truck(adapters, name="Not Hers")
    staff = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])

    await sign_in(client, staff.email, PASSWORD)
    home = await client.get("/app")

    assert home.status_code == 200
    assert f"Signed in as {staff.name}" in home.text
    assert "Taco Titan" in home.text
    assert "Not Hers" not in home.text


async def test_a_wrong_password_shows_the_problem_on_the_form_in_the_browsers_language(
    client, adapters
):
    staff = await make_staff(adapters)
    token = await sign_in_form(client)

    refused = await client.post(
        "/app/sign-in",
        data={"email": staff.email, "password": "not it", CSRF_FIELD: token},
        headers={"Accept-Language": "es"},
    )

    assert refused.status_code == 401
    assert 'lang="es"' in refused.text
    assert 'role="alert"' in refused.text
    assert staff.email in refused.text  # kept, to fix the password only
    assert SESSION_COOKIE not in refused.cookies


async def test_without_a_session_the_home_page_sends_to_sign_in(client):
    answer = await client.get("/app", follow_redirects=False)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/app/sign-in"


async def test_signing_out_revokes_the_session_token(client, adapters):
    staff = await make_staff(adapters)
    await sign_in(client, staff.email, PASSWORD)
    secret = client.cookies[SESSION_COOKIE]
    home = await client.get("/app")

    out = await client.post(
        "/app/sign-out", data={CSRF_FIELD: csrf_token_in(home.text)}, follow_redirects=False
    )

    assert out.status_code == 303
    assert out.headers["location"] == "/app/sign-in"
    assert SESSION_COOKIE not in client.cookies
    client.cookies.set(SESSION_COOKIE, secret, path="/app")  # kept by a thief
    again = await client.get("/app", follow_redirects=False)
    assert again.status_code == 303
    api = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401
