"""Problems are written in the reader's language: the staff member's choice, else the
client's Accept-Language, else English; and say which in Content-Language."""

from __future__ import annotations

from uuid import uuid4

import pytest

from fusionx.core.model.staff import Role
from tests.factories import make_staff, make_truck
from tests.http.conftest import device_body

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
FRENCH = {"Accept-Language": "fr-FR"}


def assert_in(response, language: str) -> dict:
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-language"] == language
    assert "accept-language" in response.headers["vary"].lower()
    return response.json()


@pytest.mark.parametrize(
    ("headers", "language", "title"),
    [
        ({}, "en", "Authentication required"),
        ({"Accept-Language": "de-DE, *;q=0.1"}, "en", "Authentication required"),
        (SPANISH, "es", "Autenticación necesaria"),
        (FRENCH, "fr", "Authentification requise"),
        ({"Accept-Language": "es;q=0.2, fr;q=0.8"}, "fr", "Authentification requise"),
        ({"Accept-Language": "fr;q=0, es"}, "es", "Autenticación necesaria"),
    ],
)
async def test_a_problem_is_in_the_clients_language_else_english(client, headers, language, title):
    body = assert_in(await client.get("/api/v1/me", headers=headers), language)

    assert body["title"] == title


@pytest.mark.parametrize(
    ("path", "method", "status", "titles"),
    [
        ("/api/v1/nothing-here", "GET", 404, ("No encontrado", "Introuvable")),
        ("/api/v1/me", "PUT", 405, ("Método no permitido", "Méthode non autorisée")),
        ("/api/v1/auth/login", "POST", 422, ("Validación fallida", "Échec de la validation")),
    ],
)
async def test_the_frameworks_own_problems_are_translated(client, path, method, status, titles):
    for headers, language, title in zip((SPANISH, FRENCH), ("es", "fr"), titles, strict=True):
        response = await client.request(method, path, headers=headers, json={})

        assert response.status_code == status
        assert assert_in(response, language)["title"] == title


async def test_field_errors_are_translated_and_still_name_the_field(client):
    response = await client.post("/api/v1/auth/login", json={"password": 12}, headers=SPANISH)

    body = assert_in(response, "es")
    assert body["detail"] == "Algunos valores no son aceptables: email, password"
    assert {(e["field"], e["message"]) for e in body["errors"]} == {
        ("email", "es obligatorio"),
        ("password", "Se esperaba str, llegó int"),
    }


async def test_a_domain_problem_is_translated_with_its_values(client, adapters, sign_in):
    owner = await make_staff(adapters, role=Role.OWNER)
    device_id = uuid4()
    headers = await sign_in(owner)

    response = await client.delete(f"/api/v1/devices/{device_id}", headers=headers | FRENCH)

    body = assert_in(response, "fr")
    assert (body["title"], body["detail"]) == ("Introuvable", f"Introuvable : appareil {device_id}")


async def test_the_staff_members_choice_wins_over_accept_language(client, adapters, sign_in):
    truck = await make_truck(adapters)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[truck])
    headers = await sign_in(crew)

    chosen = await client.patch("/api/v1/me", json={"locale": "es"}, headers=headers)
    refused = await client.post(
        f"/api/v1/trucks/{truck.id}/devices", json=device_body(), headers=headers | FRENCH
    )

    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["locale"] == "es"
    body = assert_in(refused, "es")
    assert body["title"] == "Permiso denegado"
    assert body["detail"] == "Esta acción requiere el rol manager o superior"


async def test_a_locale_can_be_cleared_and_an_unsupported_one_is_refused_by_name(
    client, adapters, sign_in
):
    crew = await make_staff(adapters, role=Role.CREW)
    headers = await sign_in(crew)

    refused = await client.patch("/api/v1/me", json={"locale": "de"}, headers=headers)
    await client.patch("/api/v1/me", json={"locale": "fr"}, headers=headers)
    cleared = await client.patch("/api/v1/me", json={"locale": None}, headers=headers | SPANISH)
    me = await client.get("/api/v1/me", headers=headers)

    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "locale", "message": "must be one of en, es, fr"}]
    assert cleared.status_code == 200
    assert me.json()["locale"] is None


async def test_a_successful_answer_is_not_marked_with_a_language(client, adapters, sign_in):
    crew = await make_staff(adapters, role=Role.CREW)

    response = await client.get("/api/v1/me", headers=await sign_in(crew) | SPANISH)

    assert response.status_code == 200
    assert "content-language" not in response.headers
