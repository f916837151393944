"""The staff administration and session routes through the API, in memory: who sees and
changes whom, bad input named by field, and another truck's people and trucks as 404."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import uuid4

import pytest

from fusionx.core.model.staff import Role, StaffMember
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import PASSWORD, make_staff
from tests.http.conftest import Fleet, Headers

SignIn = Callable[..., Awaitable[Headers]]
STAFF = "/api/v1/staff"


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return sorted(item["name"] for item in response.json()["items"])


def _fields(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code in (400, 422), response.text
    return [error["field"] for error in response.json()["errors"]]


async def test_owners_list_and_search_everyone(client, fleet: Fleet, sign_in: SignIn) -> None:
    owner = await sign_in(fleet.owner)
    everyone = [fleet.owner, fleet.taco_manager, fleet.taco_crew, fleet.curry_manager]

    listed = await client.get(STAFF, headers=owner)
    managers = await client.get(STAFF, params={"role": "manager"}, headers=owner)
    taco = await client.get(STAFF, params={"truck_id": str(fleet.taco.id)}, headers=owner)
    by_email = await client.get(STAFF, params={"q": fleet.taco_crew.email.upper()}, headers=owner)
    inactive = await client.get(STAFF, params={"active": "false"}, headers=owner)
    paged = await client.get(STAFF, params={"limit": 1, "offset": 1}, headers=owner)

    assert _names(listed) == sorted(s.name for s in everyone)
    assert listed.json()["total"] == 4
    assert _names(managers) == sorted([fleet.taco_manager.name, fleet.curry_manager.name])
    assert _names(taco) == sorted([fleet.taco_manager.name, fleet.taco_crew.name])
    assert _names(by_email) == [fleet.taco_crew.name]
    assert _names(inactive) == []
    assert (paged.json()["total"], len(paged.json()["items"])) == (4, 1)
    [crew] = by_email.json()["items"]
    assert crew == {
        "id": str(fleet.taco_crew.id),
        "email": fleet.taco_crew.email,
        "name": fleet.taco_crew.name,
        "phone": None,
        "role": "crew",
        "truck_ids": [str(fleet.taco.id)],
        "active": True,
    }


async def test_managers_see_their_crew_and_themselves_and_others_are_404(
    client, fleet: Fleet, manager: Headers, sign_in: SignIn
) -> None:
    listed = await client.get(STAFF, headers=manager)
    curry = await client.get(STAFF, params={"truck_id": str(fleet.curry.id)}, headers=manager)

    assert _names(listed) == sorted([fleet.taco_manager.name, fleet.taco_crew.name])
    assert _names(curry) == []
    for visible in (fleet.taco_crew, fleet.taco_manager):
        response = await client.get(f"{STAFF}/{visible.id}", headers=manager)
        assert response.json()["id"] == str(visible.id)
    for hidden in (fleet.owner.id, fleet.curry_manager.id, uuid4()):
        response = await client.get(f"{STAFF}/{hidden}", headers=manager)
        assert response.status_code == 404, response.text
    crew = await sign_in(fleet.taco_crew)
    assert (await client.get(STAFF, headers=crew)).status_code == 403
    assert (await client.get(f"{STAFF}/{fleet.taco_crew.id}", headers=crew)).status_code == 403


async def test_bad_list_parameters_are_named(client, fleet: Fleet, manager: Headers) -> None:
    bad = [
        ({"role": "chef"}, "role"),
        ({"active": "maybe"}, "active"),
        ({"truck_id": "taco"}, "truck_id"),
        ({"q": "x" * 101}, "q"),
        ({"limit": 0}, "limit"),
    ]
    for params, field in bad:
        response = await client.get(STAFF, params=params, headers=manager)
        assert field in str(response.json()), (params, response.text)
        assert response.status_code in (400, 422)


async def test_an_owner_changes_a_role_and_bad_bodies_are_named(
    client, fleet: Fleet, sign_in: SignIn
) -> None:
    owner = await sign_in(fleet.owner)
    path = f"{STAFF}/{fleet.taco_crew.id}/role"

    promoted = await client.put(path, json={"role": "manager"}, headers=owner)

    assert (promoted.status_code, promoted.json()["role"]) == (200, "manager")
    assert _fields(await client.put(path, json={"role": "chef"}, headers=owner)) == ["role"]
    assert _fields(await client.put(path, json={}, headers=owner)) == ["role"]
    assert "rank" in str(
        _fields(await client.put(path, json={"role": "crew", "rank": 1}, headers=owner))
    )
    unknown = await client.put(f"{STAFF}/{uuid4()}/role", json={"role": "crew"}, headers=owner)
    assert unknown.status_code == 404


async def test_admins_give_no_owner_role_and_the_last_owner_stays(
    client, adapters: Adapters, fleet: Fleet, sign_in: SignIn
) -> None:
    admin_member = await make_staff(adapters, role=Role.ADMIN)
    admin, owner = await sign_in(admin_member), await sign_in(fleet.owner)

    to_owner = await client.put(
        f"{STAFF}/{fleet.taco_crew.id}/role", json={"role": "owner"}, headers=admin
    )
    on_owner = await client.put(
        f"{STAFF}/{fleet.owner.id}/role", json={"role": "crew"}, headers=admin
    )
    last = await client.put(f"{STAFF}/{fleet.owner.id}/role", json={"role": "admin"}, headers=owner)
    gone = await client.post(f"{STAFF}/{fleet.owner.id}/deactivate", headers=owner)
    by_manager = await client.put(
        f"{STAFF}/{fleet.taco_crew.id}/role", json={"role": "crew"}, headers=await sign_in(
            fleet.taco_manager)
    )  # fmt: skip

    assert (to_owner.status_code, on_owner.status_code, by_manager.status_code) == (403, 403, 403)
    assert (last.status_code, gone.status_code) == (409, 409)
    assert last.json()["type"] == "/problems/conflict"
    me = await client.get("/api/v1/me", headers=owner)
    assert (me.json()["role"], me.json()["active"]) == ("owner", True)


async def test_managers_assign_their_crew_to_their_own_trucks_only(
    client, adapters: Adapters, fleet: Fleet, manager: Headers, sign_in: SignIn
) -> None:
    crew = fleet.taco_crew
    await client.put(
        f"{STAFF}/{fleet.taco_manager.id}/trucks/{fleet.curry.id}",
        headers=await sign_in(fleet.owner),
    )  # the manager now runs Curry On too, with its own manager
    path = f"{STAFF}/{crew.id}/trucks"

    assigned = await client.put(f"{path}/{fleet.curry.id}", headers=manager)
    removed = await client.delete(f"{path}/{fleet.taco.id}", headers=manager)
    stranger = await make_staff(adapters, role=Role.CREW)

    assert assigned.json()["truck_ids"] == sorted([str(fleet.taco.id), str(fleet.curry.id)])
    assert removed.status_code == 204
    view = await client.get(f"{STAFF}/{crew.id}", headers=manager)
    assert view.json()["truck_ids"] == [str(fleet.curry.id)]
    curry_manager = await sign_in(fleet.curry_manager)
    for headers, url in [
        (curry_manager, f"{STAFF}/{crew.id}/trucks/{fleet.taco.id}"),  # not theirs
        (manager, f"{path}/{uuid4()}"),  # no such truck
        (manager, f"{STAFF}/{stranger.id}/trucks/{fleet.taco.id}"),  # not their crew
        (manager, f"{STAFF}/{fleet.owner.id}/trucks/{fleet.taco.id}"),
    ]:
        for method in (client.put, client.delete):
            response = await method(url, headers=headers)
            assert response.status_code == 404, (url, response.text)
    own = await client.put(
        f"{STAFF}/{fleet.taco_manager.id}/trucks/{fleet.taco.id}", headers=manager
    )
    assert own.status_code == 403


async def test_deactivation_stops_every_token_and_sign_in_looks_like_a_wrong_password(
    client, fleet: Fleet, manager: Headers, sign_in: SignIn
) -> None:
    owner = await sign_in(fleet.owner)
    other_session = await sign_in(fleet.taco_manager)

    deactivated = await client.post(f"{STAFF}/{fleet.taco_manager.id}/deactivate", headers=owner)

    assert (deactivated.status_code, deactivated.json()["active"]) == (200, False)
    for token in (manager, other_session):
        assert (await client.get("/api/v1/me", headers=token)).status_code == 401
    refused = await client.post(
        "/api/v1/auth/login", json={"email": fleet.taco_manager.email, "password": PASSWORD}
    )
    wrong = await client.post(
        "/api/v1/auth/login", json={"email": fleet.taco_manager.email, "password": "x" * 12}
    )
    assert refused.status_code == wrong.status_code == 401
    assert {k: v for k, v in refused.json().items() if k not in ("request_id", "instance")} == {
        k: v for k, v in wrong.json().items() if k not in ("request_id", "instance")
    }
    reactivated = await client.post(f"{STAFF}/{fleet.taco_manager.id}/reactivate", headers=owner)
    assert (reactivated.status_code, reactivated.json()["active"]) == (200, True)
    assert (await client.get("/api/v1/me", headers=await sign_in(fleet.taco_manager))).is_success
    for action in ("deactivate", "reactivate"):
        assert (
            await client.post(f"{STAFF}/{fleet.taco_crew.id}/{action}", headers=manager)
        ).status_code == 401  # the manager's old token is dead
        unknown = await client.post(f"{STAFF}/{uuid4()}/{action}", headers=owner)
        assert unknown.status_code == 404


async def test_my_sessions_show_where_they_signed_in_and_end_on_request(
    client, fleet: Fleet
) -> None:
    async def sign_in(agent: str) -> Headers:
        response = await client.post(
            "/api/v1/auth/login",
            json={"email": fleet.taco_crew.email, "password": PASSWORD},
            headers={"User-Agent": agent},
        )
        return {"Authorization": f"Bearer {response.json()['token']}"}

    phone, tablet = await sign_in("FusionX iOS/3.2"), await sign_in("KDS Android/1.0")

    listed = await client.get("/api/v1/me/sessions", headers=phone)

    items = listed.json()["items"]
    assert [(s["user_agent"], s["current"]) for s in items] == [
        ("KDS Android/1.0", False),
        ("FusionX iOS/3.2", True),
    ]
    assert all(s["client_address"] and s["last_seen_at"] and s["created_at"] for s in items)
    ended = await client.delete(f"/api/v1/me/sessions/{items[0]['id']}", headers=phone)
    assert ended.status_code == 204
    assert (await client.get("/api/v1/me", headers=tablet)).status_code == 401
    assert (await client.get("/api/v1/me", headers=phone)).status_code == 200
    assert (await client.delete(f"/api/v1/me/sessions/{uuid4()}", headers=phone)).status_code == 404


async def test_owners_list_and_end_anyones_sessions_others_may_not(
    client, fleet: Fleet, manager: Headers, sign_in: SignIn, taco_device: Headers
) -> None:
    owner = await sign_in(fleet.owner)
    path = f"{STAFF}/{fleet.taco_manager.id}/sessions"

    listed = await client.get(path, headers=owner)
    [session] = listed.json()["items"]
    not_theirs = await client.delete(f"{STAFF}/{fleet.owner.id}/sessions/{session['id']}",
                                     headers=owner)  # fmt: skip
    ended = await client.delete(f"{path}/{session['id']}", headers=owner)

    assert session["current"] is False
    assert not_theirs.status_code == 404
    assert ended.status_code == 204
    assert (await client.get("/api/v1/me", headers=manager)).status_code == 401
    crew = await sign_in(fleet.taco_crew)
    assert (
        await client.get(f"{STAFF}/{fleet.taco_crew.id}/sessions", headers=crew)
    ).status_code == 403
    assert (await client.get(path, headers=taco_device)).status_code == 403
    assert (await client.get("/api/v1/me/sessions", headers=taco_device)).status_code == 403
    assert (await client.get(f"{STAFF}/{uuid4()}/sessions", headers=owner)).status_code == 404


@pytest.mark.parametrize("member", ["owner", "taco_crew"])
async def test_the_staff_routes_need_a_credential(client, fleet: Fleet, member: str) -> None:
    target: StaffMember = getattr(fleet, member)
    for method, url in [
        ("GET", STAFF),
        ("GET", f"{STAFF}/{target.id}"),
        ("PUT", f"{STAFF}/{target.id}/role"),
        ("POST", f"{STAFF}/{target.id}/deactivate"),
        ("GET", f"{STAFF}/{target.id}/sessions"),
        ("GET", "/api/v1/me/sessions"),
    ]:
        response = await client.request(method, url, json={"role": "crew"})
        assert response.status_code == 401, (method, url)
