"""The few API calls the harness makes itself, as a client would: sign in, register the
TruckKDS tablets, check the trucks in, read a feed's ETag and a shift's last seq."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from bench.servers import BenchError

OWNER_EMAIL = "owner@bench.fusionx.test"
OWNER_PASSWORD = "bench-owner-password"  # noqa: S105 - a throwaway database's account


def _json(response: httpx.Response, expected: int) -> Any:
    if response.status_code != expected:
        what = f"{response.request.method} {response.request.url.path}"
        raise BenchError(f"{what} answered {response.status_code}: {response.text[:300]}")
    return response.json()


def feed_path(shift_id: uuid.UUID) -> str:
    return f"/api/v1/shifts/{shift_id}/tickets"


def transition_path(ticket_id: uuid.UUID) -> str:
    return f"/api/v1/tickets/{ticket_id}/transitions"


def orders_path(shift_id: uuid.UUID) -> str:
    return f"/api/v1/shifts/{shift_id}/orders"


class Api:
    def __init__(self, base_url: str) -> None:
        self._client = httpx.Client(base_url=base_url, timeout=30)
        self._staff: dict[str, str] = {}

    def close(self) -> None:
        self._client.close()

    def log_in(self) -> None:
        body = {"email": OWNER_EMAIL, "password": OWNER_PASSWORD}
        token = _json(self._client.post("/api/v1/auth/login", json=body), 200)["token"]
        self._staff = {"Authorization": f"Bearer {token}"}

    def register_device(self, truck_id: uuid.UUID) -> str:
        body = {"label": "Pass", "platform": "ipados", "app_version": "1.0", "os_version": "17"}
        response = self._client.post(
            f"/api/v1/trucks/{truck_id}/devices", json=body, headers=self._staff
        )
        return str(_json(response, 201)["credential"])

    def check_in(self, truck_id: uuid.UUID, location_id: uuid.UUID) -> uuid.UUID:
        body = {"truck_id": str(truck_id), "location_id": str(location_id)}
        response = self._client.post("/api/v1/shifts", json=body, headers=self._staff)
        return uuid.UUID(_json(response, 201)["id"])

    def last_seq(self, shift_id: uuid.UUID) -> int:
        response = self._client.get(f"/api/v1/shifts/{shift_id}", headers=self._staff)
        return int(_json(response, 200)["last_seq"])

    def place_order(self, shift_id: uuid.UUID, credential: str, body: object) -> None:
        headers = {"Authorization": f"Bearer {credential}"}
        _json(self._client.post(orders_path(shift_id), json=body, headers=headers), 201)

    def feed(self, shift_id: uuid.UUID, credential: str) -> tuple[str, int]:
        """The feed's ETag and how many tickets it shows."""
        headers = {"Authorization": f"Bearer {credential}"}
        response = self._client.get(feed_path(shift_id), headers=headers)
        return response.headers["ETag"], len(_json(response, 200)["tickets"])
