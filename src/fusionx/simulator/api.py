"""The FusionX REST API as a staff client sees it: JSON over HTTP with a bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import msgspec

from fusionx.simulator.errors import SimulationError
from fusionx.simulator.messages import TICKET_STATES, TicketView


class ApiError(SimulationError):
    """An answer the simulator did not expect, with the problem's detail."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.body = _json(response)
        detail = self.body.get("detail") or response.reason_phrase
        super().__init__(
            f"{response.request.method} {response.request.url.path}: {self.status} {detail}"
        )


class ModifierOption(msgspec.Struct, frozen=True, kw_only=True):
    id: str


class ModifierGroup(msgspec.Struct, frozen=True, kw_only=True):
    """Choose ``min_choices`` to ``max_choices`` distinct options."""

    id: str
    min_choices: int = 0
    max_choices: int = 1
    options: list[ModifierOption] = []


class MenuItem(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    price_cents: int
    on_hand: int = 0
    sold_out: bool = False
    available: bool = True
    modifier_groups: list[ModifierGroup] = []

    @property
    def orderable(self) -> bool:
        """What a customer could order now: in its availability window and in stock."""
        return self.available and not self.sold_out


@dataclass(frozen=True)
class Stale:
    """A refused ticket move: the ticket is now ``state`` at ``version``."""

    state: str
    version: int


@dataclass(frozen=True)
class Shortage:
    """An order refused for want of stock."""

    detail: str


@dataclass(frozen=True)
class Full:
    """An order refused by the shift's capacity: which ``limit``, and the start of the
    next pickup slot with room (None without slots)."""

    detail: str
    limit: str
    next_slot: str | None


class FusionxApi:
    """One signed-in session. Unexpected answers raise ``ApiError``; unreachable
    servers raise ``SimulationError``; expected conflicts come back as values."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)
        self._feeds: dict[str, tuple[str, tuple[int, list[TicketView]]]] = {}
        self.not_modified = 0
        self.token = ""

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, path, **kwargs)
        except httpx.TransportError as error:
            reason = str(error) or type(error).__name__
            raise SimulationError(f"cannot reach {self.base_url}: {reason}") from error

    async def _call(self, method: str, path: str, *ok: int, **kwargs: Any) -> dict[str, Any]:
        response = await self._send(method, path, **kwargs)
        if response.status_code not in (ok or (200,)):
            raise ApiError(response)
        return _json(response)

    async def log_in(self, email: str, password: str) -> None:
        body = await self._call(
            "POST", "/api/v1/auth/login", json={"email": email, "password": password}
        )
        self.token = body["token"]
        self._http.headers["Authorization"] = f"Bearer {self.token}"

    async def me(self) -> dict[str, Any]:
        return await self._call("GET", "/api/v1/me")

    async def first_location(self) -> dict[str, Any] | None:
        """The first active service location by name, or None if there is none."""
        body = await self._call("GET", "/api/v1/locations", params={"active": "true", "limit": 1})
        items = body.get("items") or []
        return items[0] if items else None

    async def check_in(self, truck_id: str, location_id: str) -> tuple[str, bool]:
        """The shift's id, and whether it was already open (then it is reused)."""
        payload = {"truck_id": truck_id, "location_id": location_id}
        response = await self._send("POST", "/api/v1/shifts", json=payload)
        body = _json(response)
        if response.status_code == 201:
            return str(body["id"]), False
        if response.status_code == 409 and body.get("open_shift_id"):
            return str(body["open_shift_id"]), True
        raise ApiError(response)

    async def shift(self, shift_id: str) -> dict[str, Any]:
        return await self._call("GET", f"/api/v1/shifts/{shift_id}")

    async def resume(self, shift_id: str) -> dict[str, Any]:
        return await self._call("POST", f"/api/v1/shifts/{shift_id}/resume")

    async def check_out(self, shift_id: str) -> dict[str, Any]:
        body = {"force": False, "reason": "end of simulation"}
        return await self._call("POST", f"/api/v1/shifts/{shift_id}/checkout", json=body)

    async def menu(self, shift_id: str) -> list[MenuItem]:
        body = await self._call("GET", f"/api/v1/shifts/{shift_id}/menu")
        items = [item for category in body["categories"] for item in category["items"]]
        return msgspec.convert(items, list[MenuItem])

    async def restock(self, shift_id: str, item_id: str, delta: int) -> None:
        payload = {"item_id": item_id, "reason": "restock", "delta": delta}
        await self._call(
            "POST", f"/api/v1/shifts/{shift_id}/inventory/adjustments", 200, 201, json=payload
        )

    async def place_order(
        self, shift_id: str, lines: list[dict[str, Any]], customer_name: str | None = None
    ) -> TicketView | Shortage | Full:
        payload: dict[str, Any] = {"lines": lines}
        if customer_name:
            payload["customer_name"] = customer_name
        response = await self._send("POST", f"/api/v1/shifts/{shift_id}/orders", json=payload)
        body = _json(response)
        if response.status_code == 201:
            ticket = body["ticket"]
            return TicketView(
                id=str(ticket["id"]),
                number=body["order"]["number"],
                state=ticket["state"],
                version=ticket["version"],
            )
        if response.status_code == 409 and "shortages" in body:
            return Shortage(detail=str(body.get("detail")))
        if response.status_code == 409 and body.get("type") == "/problems/capacity-full":
            slot = body.get("next_slot") or {}
            return Full(
                detail=str(body.get("detail")),
                limit=str(body.get("limit")),
                next_slot=slot.get("starts_at"),
            )
        raise ApiError(response)

    async def move_ticket(self, ticket_id: str, to: str, version: int) -> int | Stale:
        """The ticket's new version, or what it is now if someone moved it first."""
        payload = {"to": to, "version": version}
        response = await self._send(
            "POST", f"/api/v1/tickets/{ticket_id}/transitions", json=payload
        )
        body = _json(response)
        if response.status_code == 200:
            return int(body["version"])
        if response.status_code == 409 and "version" in body:
            return Stale(state=str(body["state"]), version=int(body["version"]))
        raise ApiError(response)

    async def tickets(self, shift_id: str) -> tuple[int, list[TicketView]]:
        """``(last_seq, tickets)``: every ticket of the shift, in one read, so all as of
        one event. While the ETag holds, the server answers 304 and the copy is reused."""
        cached = self._feeds.get(shift_id)
        response = await self._send(
            "GET",
            f"/api/v1/shifts/{shift_id}/tickets",
            params=[("state", state) for state in TICKET_STATES],
            headers={"If-None-Match": cached[0]} if cached else {},
        )
        if response.status_code == 304 and cached:
            self.not_modified += 1
            return cached[1]
        if response.status_code != 200:
            raise ApiError(response)
        body = _json(response)
        tickets = [
            TicketView(id=str(t["id"]), number=t["number"], state=t["state"], version=t["version"])
            for t in body["tickets"]
        ]
        feed = (int(body["last_seq"]), tickets)
        if etag := response.headers.get("etag"):
            self._feeds[shift_id] = (etag, feed)
        return feed


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
