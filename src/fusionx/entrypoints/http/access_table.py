"""Who may do what: the answer every route gives every kind of caller, in one table.

The rules themselves live in ``core/rules/access.py``; this table is what they add up to
at the HTTP edge, written down so that it can be read (``docs/access.md`` is rendered
from it by ``fusionx access-table``) and proven: ``tests/http/test_access_table.py``
sends every route of the app a valid request from every caller and compares the answer
with the row. A route without a row, or a row without a route, fails that test.

The callers: an owner, an admin, a manager, a crew member and a kitchen device, each of
the truck the request is about ("own") or of another truck ("other"; owners and admins
have no other truck), a customer (holding a customer credential from the one-time-code
sign-in), and an anonymous client. A customer credential opens the customer's own
routes (``/api/v1/customer/...``) and none of the fleet's: every staff and kitchen route
refuses it with 403 before looking anything up, as the customer routes refuse staff and
device credentials.

The answers: ``allowed`` (2xx, or a domain answer past the access check: a 409 or a 422
on a valid request), 401 (no usable credential), 403 (the caller's kind or role may not),
404 (outside the caller's trucks: the resource's existence is not theirs to learn).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import msgspec


class Answer(enum.StrEnum):
    ALLOWED = "allowed"
    UNAUTHENTICATED = "401"
    FORBIDDEN = "403"
    HIDDEN = "404"


class Scoped(msgspec.Struct, frozen=True):
    """A truck-scoped caller's answers: on its own truck's resource, on another's."""

    own: Answer
    other: Answer

    def __str__(self) -> str:
        return f"{self.own} / {self.other}"


Who = Answer | Scoped


class Access(msgspec.Struct, frozen=True, kw_only=True):
    """One row: each caller's answer."""

    owner: Answer
    admin: Answer
    manager: Who
    crew: Who
    device: Who
    customer: Answer
    anonymous: Answer

    def answer(self, role: str, *, own_truck: bool) -> Answer:
        who: Who = getattr(self, role)
        if isinstance(who, Scoped):
            return who.own if own_truck else who.other
        return who


ROLES = tuple(Access.__struct_fields__)

ALLOWED = Answer.ALLOWED
NO_CREDENTIAL = Answer.UNAUTHENTICATED
FORBIDDEN = Answer.FORBIDDEN
HIDDEN = Answer.HIDDEN
# Its own truck's resource, yes; another truck's does not exist.
OWN_TRUCK = Scoped(ALLOWED, HIDDEN)
# Not for this kind of caller, and another truck's resource does not exist.
NOT_HERE = Scoped(FORBIDDEN, HIDDEN)


def _row(
    *,
    manager: Who,
    crew: Who,
    device: Who,
    owner: Answer = ALLOWED,
    admin: Answer = ALLOWED,
    customer: Answer = FORBIDDEN,
    anonymous: Answer = NO_CREDENTIAL,
) -> Access:
    return Access(
        owner=owner,
        admin=admin,
        manager=manager,
        crew=crew,
        device=device,
        customer=customer,
        anonymous=anonymous,
    )


# --- the kinds of rows, by who may ------------------------------------------------------
PUBLIC = _row(manager=ALLOWED, crew=ALLOWED, device=ALLOWED, customer=ALLOWED, anonymous=ALLOWED)
SIGNED_IN = _row(manager=ALLOWED, crew=ALLOWED, device=ALLOWED)
STAFF = _row(manager=ALLOWED, crew=ALLOWED, device=FORBIDDEN)
DEVICE = _row(owner=FORBIDDEN, admin=FORBIDDEN, manager=FORBIDDEN, crew=FORBIDDEN, device=ALLOWED)
FLEET_ADMINS = _row(manager=FORBIDDEN, crew=FORBIDDEN, device=FORBIDDEN)
TRUCK = _row(manager=OWN_TRUCK, crew=OWN_TRUCK, device=OWN_TRUCK)
TRUCK_STAFF = _row(manager=OWN_TRUCK, crew=OWN_TRUCK, device=NOT_HERE)
TRUCK_MANAGERS = _row(manager=OWN_TRUCK, crew=NOT_HERE, device=NOT_HERE)
STAFF_MANAGERS = _row(manager=ALLOWED, crew=FORBIDDEN, device=FORBIDDEN)
CREW_MANAGERS = _row(manager=OWN_TRUCK, crew=FORBIDDEN, device=FORBIDDEN)
HOLDER_ONLY = _row(owner=HIDDEN, admin=HIDDEN, manager=HIDDEN, crew=HIDDEN, device=HIDDEN)
CUSTOMER = _row(
    owner=FORBIDDEN, admin=FORBIDDEN, manager=FORBIDDEN, crew=FORBIDDEN, device=FORBIDDEN,
    customer=ALLOWED,
)  # fmt: skip

# A customer route about an order the customer did not place: it does not exist for them.
NOT_THEIR_ORDER = _row(
    owner=FORBIDDEN, admin=FORBIDDEN, manager=FORBIDDEN, crew=FORBIDDEN, device=FORBIDDEN,
    customer=HIDDEN,
)  # fmt: skip

# Each kind's name and meaning, as the document shows them.
KINDS: Mapping[str, tuple[Access, str]] = {
    "public": (PUBLIC, "anyone, with or without a credential: the request decides"),
    "signed in": (SIGNED_IN, "any staff member or device, about itself or the whole fleet"),
    "staff": (STAFF, "any staff member, not a device"),
    "device": (DEVICE, "a kitchen device, about itself"),
    "fleet admins": (FLEET_ADMINS, "owners and admins"),
    "truck": (TRUCK, "the truck's staff and its devices"),
    "truck staff": (TRUCK_STAFF, "the truck's staff, not its devices"),
    "truck managers": (TRUCK_MANAGERS, "the truck's managers"),
    "staff managers": (STAFF_MANAGERS, "owners, admins and managers (each sees whom they manage)"),
    "crew managers": (CREW_MANAGERS, "owners and admins; managers for their own trucks' crew"),
    "holder only": (HOLDER_ONLY, "its holder alone; anyone else's is not theirs to learn of"),
    "customer": (CUSTOMER, "a signed-in customer, about their own account"),
}  # fmt: skip

# --- the table: one row per route, "METHOD path" as the app registers it -----------------
# A new route needs a row here (the test says which, and what each caller gets today):
# pick the kind above that says who may, or spell a row out with `_row(...)`; then run
# `fusionx access-table --out docs/access.md`.
ACCESS: Mapping[str, Access] = {
    # Signing in and the caller's own account or device.
    "POST /api/v1/auth/login": PUBLIC,
    "POST /api/v1/auth/logout": SIGNED_IN,
    "GET /api/v1/me": SIGNED_IN,
    "PATCH /api/v1/me": STAFF,
    "POST /api/v1/me/password": STAFF,
    "POST /api/v1/me/email": STAFF,
    # Reached from an email's link: its single-use token is the credential.
    "POST /api/v1/auth/password-reset": PUBLIC,
    "POST /api/v1/auth/password-reset/confirm": PUBLIC,
    "POST /api/v1/auth/invitations/accept": PUBLIC,
    "POST /api/v1/auth/email/confirm": PUBLIC,
    # Inviting staff: managers invite crew to their own trucks only.
    "POST /api/v1/staff/invitations": _row(manager=OWN_TRUCK, crew=FORBIDDEN, device=FORBIDDEN),
    "GET /api/v1/me/trucks": SIGNED_IN,
    "POST /api/v1/devices/heartbeat": DEVICE,
    "PUT /api/v1/devices/me/push-token": SIGNED_IN,
    "GET /api/v1/me/sessions": STAFF,
    # The session in the path is another person's: only its holder may end it.
    "DELETE /api/v1/me/sessions/{session_id:uuid}": HOLDER_ONLY,
    # The staff, and a crew member of Taco Titan in the path.
    "GET /api/v1/staff": STAFF_MANAGERS,
    "GET /api/v1/staff/{staff_id:uuid}": CREW_MANAGERS,
    "PUT /api/v1/staff/{staff_id:uuid}/role": FLEET_ADMINS,
    "PUT /api/v1/staff/{staff_id:uuid}/trucks/{truck_id:uuid}": CREW_MANAGERS,
    "DELETE /api/v1/staff/{staff_id:uuid}/trucks/{truck_id:uuid}": CREW_MANAGERS,
    "POST /api/v1/staff/{staff_id:uuid}/deactivate": FLEET_ADMINS,
    "POST /api/v1/staff/{staff_id:uuid}/reactivate": FLEET_ADMINS,
    "GET /api/v1/staff/{staff_id:uuid}/sessions": FLEET_ADMINS,
    "DELETE /api/v1/staff/{staff_id:uuid}/sessions/{session_id:uuid}": FLEET_ADMINS,
    # A truck's devices.
    "GET /api/v1/trucks/{truck_id:uuid}/devices": TRUCK_STAFF,
    "POST /api/v1/trucks/{truck_id:uuid}/devices": TRUCK_MANAGERS,
    "POST /api/v1/trucks/{truck_id:uuid}/pairing-codes": TRUCK_MANAGERS,
    "DELETE /api/v1/devices/{device_id:uuid}": TRUCK_MANAGERS,
    # The fleet's trucks, places and their operating hours.
    "GET /api/v1/trucks": STAFF,  # owners and admins all, managers and crew their own
    "POST /api/v1/trucks": FLEET_ADMINS,
    "GET /api/v1/trucks/{truck_id:uuid}": TRUCK_STAFF,
    "PATCH /api/v1/trucks/{truck_id:uuid}": FLEET_ADMINS,
    "POST /api/v1/trucks/{truck_id:uuid}/deactivate": FLEET_ADMINS,
    "POST /api/v1/trucks/{truck_id:uuid}/reactivate": FLEET_ADMINS,
    "GET /api/v1/trucks/{truck_id:uuid}/hours": TRUCK_STAFF,
    "PUT /api/v1/trucks/{truck_id:uuid}/hours": TRUCK_MANAGERS,
    "GET /api/v1/locations": STAFF,
    "POST /api/v1/locations": FLEET_ADMINS,
    "GET /api/v1/locations/{location_id:uuid}": STAFF,
    "PATCH /api/v1/locations/{location_id:uuid}": FLEET_ADMINS,
    "POST /api/v1/locations/{location_id:uuid}/deactivate": FLEET_ADMINS,
    "POST /api/v1/locations/{location_id:uuid}/reactivate": FLEET_ADMINS,
    "GET /api/v1/locations/{location_id:uuid}/hours": STAFF,
    "PUT /api/v1/locations/{location_id:uuid}/hours": FLEET_ADMINS,
    # The fleet's menu.
    "GET /api/v1/menu/categories": SIGNED_IN,
    "POST /api/v1/menu/categories": FLEET_ADMINS,
    "PUT /api/v1/menu/categories/order": FLEET_ADMINS,
    "PATCH /api/v1/menu/categories/{category_id:uuid}": FLEET_ADMINS,
    "PUT /api/v1/menu/categories/{category_id:uuid}/items/order": FLEET_ADMINS,
    "GET /api/v1/menu/items": SIGNED_IN,
    "POST /api/v1/menu/items": FLEET_ADMINS,
    # The item in the path is one truck's own (a fleet-wide item is everyone's).
    "GET /api/v1/menu/items/{item_id:uuid}": TRUCK,
    "PATCH /api/v1/menu/items/{item_id:uuid}": TRUCK_MANAGERS,
    "PUT /api/v1/menu/items/{item_id:uuid}/low-stock-threshold": FLEET_ADMINS,
    "GET /api/v1/menu/modifier-groups": SIGNED_IN,
    "POST /api/v1/menu/modifier-groups": FLEET_ADMINS,
    "PATCH /api/v1/menu/modifier-groups/{group_id:uuid}": FLEET_ADMINS,
    # A truck's menu, capacity and notifications.
    "GET /api/v1/trucks/{truck_id:uuid}/menu": TRUCK,
    "PUT /api/v1/trucks/{truck_id:uuid}/menu": TRUCK_MANAGERS,
    "GET /api/v1/trucks/{truck_id:uuid}/capacity": TRUCK,
    "PUT /api/v1/trucks/{truck_id:uuid}/capacity": TRUCK_MANAGERS,
    "GET /api/v1/trucks/{truck_id:uuid}/notifications": TRUCK_STAFF,
    "GET /api/v1/trucks/{truck_id:uuid}/notifications/{notification_id:uuid}": TRUCK_STAFF,
    # Reviews, as the truck's managers see them; hiding one is audited.
    "GET /api/v1/trucks/{truck_id:uuid}/reviews": TRUCK_MANAGERS,
    "POST /api/v1/reviews/{review_id:uuid}/hide": TRUCK_MANAGERS,
    # Shifts (checking in names the truck in the body).
    "POST /api/v1/shifts": TRUCK_STAFF,
    "GET /api/v1/shifts/{shift_id:uuid}": TRUCK,
    "POST /api/v1/shifts/{shift_id:uuid}/pause": TRUCK_STAFF,
    "POST /api/v1/shifts/{shift_id:uuid}/resume": TRUCK_STAFF,
    "POST /api/v1/shifts/{shift_id:uuid}/checkout": TRUCK_MANAGERS,
    "GET /api/v1/shifts/{shift_id:uuid}/menu": TRUCK,
    "POST /api/v1/shifts/{shift_id:uuid}/specials": TRUCK_MANAGERS,
    "POST /api/v1/shifts/{shift_id:uuid}/inventory/adjustments": TRUCK_STAFF,
    "PUT /api/v1/shifts/{shift_id:uuid}/stock-thresholds/{item_id:uuid}": TRUCK_MANAGERS,
    "GET /api/v1/shifts/{shift_id:uuid}/capacity": TRUCK,
    "PUT /api/v1/shifts/{shift_id:uuid}/capacity": TRUCK_MANAGERS,
    "GET /api/v1/shifts/{shift_id:uuid}/summary": TRUCK_MANAGERS,
    "GET /api/v1/shifts/{shift_id:uuid}/all-day": TRUCK,
    "GET /api/v1/shifts/{shift_id:uuid}/cancellations": TRUCK_STAFF,
    "WEBSOCKET /api/v1/shifts/{shift_id:uuid}/events": TRUCK,
    # Orders and the kitchen.
    "POST /api/v1/shifts/{shift_id:uuid}/orders": TRUCK,
    "GET /api/v1/orders/{order_id:uuid}": TRUCK,
    "POST /api/v1/orders/{order_id:uuid}/refunds": TRUCK_MANAGERS,
    "POST /api/v1/orders/{order_id:uuid}/refunds/{refund_id:uuid}/retry": TRUCK_MANAGERS,
    "GET /api/v1/shifts/{shift_id:uuid}/tickets": TRUCK,
    "POST /api/v1/shifts/{shift_id:uuid}/tickets/bulk-advance": TRUCK,
    "POST /api/v1/tickets/{ticket_id:uuid}/transitions": TRUCK,
    # The audit trail: managers read their trucks' records only (another truck's: 404).
    "GET /api/v1/audit": _row(manager=ALLOWED, crew=FORBIDDEN, device=FORBIDDEN),
    # The books (history, search, exports): managers their trucks' only (another truck
    # asked by name: 404; unnamed, the list holds their own); crew and devices never.
    "GET /api/v1/shifts": STAFF_MANAGERS,
    "GET /api/v1/orders": STAFF_MANAGERS,
    "GET /api/v1/exports/{kind:str}": STAFF_MANAGERS,
    # GraphQL: any staff member or device may send a query; each field then answers as
    # its REST read does (tests/http/test_graphql.py), a field refused within a 200.
    "POST /api/v1/graphql": SIGNED_IN,
    # The live fleet view and its stream: managers see their trucks only; crew, devices never.
    "GET /api/v1/fleet/live": STAFF_MANAGERS,
    "GET /api/v1/fleet/live/events": STAFF_MANAGERS,
    # Fleet analytics: managers their trucks' figures only (the fleet, to them, is their
    # trucks; another truck asked by name: 404); crew and devices never.
    "GET /api/v1/analytics/figures": STAFF_MANAGERS,
    "GET /api/v1/analytics/top-items": STAFF_MANAGERS,
    # Public browsing: anyone, no credential needed (rate-limited per client address).
    "GET /api/v1/public/trucks": PUBLIC,
    "GET /api/v1/public/trucks/{truck_id:uuid}": PUBLIC,
    "GET /api/v1/public/trucks/{truck_id:uuid}/menu": PUBLIC,
    "POST /api/v1/public/trucks/{truck_id:uuid}/cart/quote": PUBLIC,
    "POST /api/v1/public/trucks/{truck_id:uuid}/checkout": PUBLIC,
    # Customer accounts: signing in by a one-time code is public (rate-limited); the
    # account's own routes take a customer credential only.
    "POST /api/v1/customer/sign-in/code": PUBLIC,
    "POST /api/v1/customer/sign-in": PUBLIC,
    "POST /api/v1/customer/sign-out": CUSTOMER,
    "GET /api/v1/customer/me": CUSTOMER,
    "PATCH /api/v1/customer/me": CUSTOMER,
    "GET /api/v1/customer/orders": CUSTOMER,
    "GET /api/v1/customer/loyalty": CUSTOMER,
    # The order in the path is placed at Taco Titan's window, not by this customer.
    "GET /api/v1/customer/orders/{order_id:uuid}": NOT_THEIR_ORDER,
    "POST /api/v1/customer/orders/{order_id:uuid}/review": NOT_THEIR_ORDER,
    "PATCH /api/v1/customer/orders/{order_id:uuid}/review": NOT_THEIR_ORDER,
    # An order's tracking link: the token in the path is the credential, whoever sends it.
    "GET /api/v1/track/{token:str}": PUBLIC,
    "GET /api/v1/track/{token:str}/events": PUBLIC,
    "POST /api/v1/track/{token:str}/review": PUBLIC,
    "PATCH /api/v1/track/{token:str}/review": PUBLIC,
    # Providers' callbacks: believed only with a valid signature, whoever sends them.
    "POST /api/v1/webhooks/payments": PUBLIC,
    "POST /api/v1/sms/status": PUBLIC,
    # Outbound webhooks: they send the fleet's events out of it, so owners and admins only.
    "GET /api/v1/webhooks/endpoints": FLEET_ADMINS,
    "POST /api/v1/webhooks/endpoints": FLEET_ADMINS,
    "GET /api/v1/webhooks/endpoints/{endpoint_id:uuid}": FLEET_ADMINS,
    "PATCH /api/v1/webhooks/endpoints/{endpoint_id:uuid}": FLEET_ADMINS,
    "DELETE /api/v1/webhooks/endpoints/{endpoint_id:uuid}": FLEET_ADMINS,
    "POST /api/v1/webhooks/endpoints/{endpoint_id:uuid}/secret": FLEET_ADMINS,
    "GET /api/v1/webhooks/endpoints/{endpoint_id:uuid}/deliveries": FLEET_ADMINS,
    "POST /api/v1/webhooks/endpoints/{endpoint_id:uuid}/replay": FLEET_ADMINS,
    "POST /api/v1/webhooks/deliveries/{delivery_id:uuid}/replay": FLEET_ADMINS,
    # Operators' and readers' routes outside the API.
    "GET /health/live": PUBLIC,
    "GET /health/ready": PUBLIC,
    "GET /metrics": FLEET_ADMINS,  # or the scraper's metrics token
    "GET /schema": PUBLIC,
    "GET /schema/swagger": PUBLIC,
    "GET /schema/{path:str}": PUBLIC,
    "GET /schema/openapi.json": PUBLIC,
    "GET /schema/asyncapi.json": PUBLIC,
    "GET /schema/oauth2-redirect.html": PUBLIC,
    "GET /schema/assets/{file_path:path}": PUBLIC,
    "HEAD /schema/assets/{file_path:path}": PUBLIC,
}


def render_markdown(table: Mapping[str, Access] = ACCESS) -> str:
    """The table as ``docs/access.md`` shows it."""
    lines = [
        "# Who may do what",
        "",
        "Generated from `src/fusionx/entrypoints/http/access_table.py` by",
        "`fusionx access-table --out docs/access.md`: do not edit it by hand.",
        "`tests/http/test_access_table.py` sends every route a valid request from each caller",
        "below and fails when an answer differs from its row, when a route has no row, and",
        "when this file is out of date.",
        "",
        "Callers: an owner, an admin, a manager, a crew member, a kitchen device, a customer",
        "(signed in by a one-time code), an anonymous client. `allowed`: 2xx, or",
        "a domain answer past the access check (409, 422). 401: no usable credential. 403: not",
        "for this kind of caller or role. 404: outside the caller's trucks, so the resource's",
        "existence does not leak. `own / other`: on a resource of the caller's own truck / of",
        "another truck (owners and admins act on every truck).",
        "",
        "## Kinds of routes",
        "",
        "| kind | who may |",
        "|---|---|",
        *(f"| {name} | {meaning} |" for name, (_access, meaning) in KINDS.items()),
        "",
        "## Routes",
        "",
        "| route | kind | " + " | ".join(ROLES) + " |",
        "|---|---|" + "---|" * len(ROLES),
    ]
    for route, access in sorted(table.items(), key=lambda item: _by_path(item[0])):
        kind = next((name for name, (known, _) in KINDS.items() if known == access), "")
        cells = (str(getattr(access, role)) for role in ROLES)
        lines.append(f"| `{route}` | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _by_path(route: str) -> tuple[str, str]:
    method, _, path = route.partition(" ")
    return path, method
