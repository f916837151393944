"""A fleet in which every operation of the API has something to act on, and a client that
sends any operation a request it accepts, or that request with one thing made hostile.

The scene is built through the API itself (and the use cases, for what has no route:
trucks, locations, staff), on whichever backend the test runs. ``Caller.send`` signs
the webhooks as their senders do, so a hostile body reaches what reads it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

import httpx
import msgspec
from litestar import Litestar
from msgspec import inspect

from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.memory.email import RecordingEmailSender
from fusionx.adapters.memory.password_hasher import InMemoryPasswordHasher
from fusionx.adapters.sms.twilio import TwilioCallbackVerifier, twilio_signature
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.reviews import Review
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.rules.login_throttle import ThrottlePolicy
from fusionx.core.use_cases.commands.create_location import CreateLocation, CreateLocationRequest
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.controllers.fleet_live import LIVE_TIMING_STATE_KEY, LiveStreamTiming
from fusionx.entrypoints.settings import Settings
from tests.factories import PASSWORD, make_staff, make_truck
from tests.support.customers import code_in, sign_in_by_email
from tests.support.gateway import SECRET, Gateway
from tests.support.operations import Examples, Operation, operations
from tests.support.tracking import tracked
from tests.support.wiring import sql_wiring

SMS_SECRET = "sms-callback-secret"
SMS_CALLBACK = "https://api.fusionx.test/api/v1/sms/status"
APNS_TOKEN = "a1" * 32
CUSTOMER_EMAIL = "ana@example.com"
NEW_CUSTOMER_EMAIL = "cy@example.com"
_CUSTOMER = "/api/v1/customer/"
Json = Any


class PaymentData(msgspec.Struct, frozen=True, kw_only=True):
    order_id: UUID
    amount_cents: int


class PaymentNotice(msgspec.Struct, frozen=True, kw_only=True):
    """The payment gateway's notification, as the README gives its wire format."""

    id: str
    type: str
    created: int
    data: PaymentData


class SmsReport(msgspec.Struct, frozen=True, kw_only=True):
    """An SMS provider's delivery report: a form of text fields."""

    MessageSid: str
    MessageStatus: str
    ErrorCode: str = ""


# What the webhooks read, which their handlers take as bytes or a form.
WIRE_BODIES: dict[str, inspect.Type] = {
    "receivePaymentNotification": inspect.type_info(PaymentNotice),
    "recordSmsStatus": inspect.type_info(SmsReport),
}


# The operations that require an ``Idempotency-Key`` (a customer's checkout).
KEY_REQUIRED = frozenset({"checkOut"})


# The query parameters an operation cannot go without, sent unless a test sends its own.
REQUIRED_QUERIES: dict[str, dict[str, Any]] = {
    "listOpenTrucks": {"lat": 48.8566, "lon": 2.3522},
}


# Whole orders of what is there, before anything is added; what ends what the others
# need (the device, the session, the shift) after everything else.
SENT_FIRST = ("reorderMenuCategories", "reorderMenuItems")
SENT_LAST = (
    "deleteWebhookEndpoint",
    "recordHeartbeat",
    "revokeDevice",
    "unassignStaffTruck",  # takes the crew member off the truck
    "revokeMySession",  # before deactivating the crew member ends the session sending it
    "deactivateStaff",
    "changeMyPassword",
    "checkOutShift",
    "signOutCustomer",  # ends the customer's credential the customer routes use
    "logOut",
)


def sending_order(operation: Operation) -> int:
    """Sort key: where ``operation`` goes when a scene is sent one of each operation."""
    if operation.operation_id in SENT_FIRST:
        return -1
    return SENT_LAST.index(operation.operation_id) + 1 if operation.operation_id in SENT_LAST else 0


def body_schema(operation: Operation) -> inspect.Type | None:
    return WIRE_BODIES.get(operation.operation_id, operation.body)


@dataclass
class Scene:
    """What the requests name, and who sends them."""

    adapters: Adapters
    client: httpx.AsyncClient
    taco: Truck
    curry: Truck
    plaza: Location
    owner: StaffMember
    curry_manager: StaffMember
    owner_headers: dict[str, str]
    device_headers: dict[str, str]
    crew_headers: dict[str, str]  # a session of the crew member the staff routes name
    ids: dict[str, Any]  # example values by field name
    taco_private_item: UUID
    online_order: tuple[UUID, int]  # an order awaiting payment, and its total
    gateway: Gateway = field(default_factory=Gateway)  # each notification a new event id
    app: Litestar | None = None  # what ``client`` speaks to, for a WebSocket client
    # A live email token for each operation that takes one (each works once).
    email_tokens: dict[str, str] = field(default_factory=dict)
    # A signed-in customer's credential (Ana's, by a code sent to CUSTOMER_EMAIL), an
    # order on her account, and a live code sent to NEW_CUSTOMER_EMAIL (it works once).
    customer_headers: dict[str, str] = field(default_factory=dict)
    customer_order_id: str = ""
    sign_in_code: str = ""

    def examples(self) -> Examples:
        by_name = {
            **self.ids,
            "email": self.owner.email,
            "password": PASSWORD,
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "token": APNS_TOKEN,
            "phone": "+14155550123",
            "customer_phone": "+14155550123",
            "customer_email": "ana@example.com",
            "customer_name": "Ana",
            "locale": "en",
            # A GraphQL query that reads the scene's truck, its orders and their trucks.
            "query": '{ truck(id: "'
            + str(self.ids["truck_id"])
            + '") { name } orders { items { number truck { name } } } }',
            "new_email": "owner.elsewhere@example.com",
            "image_url": "https://img.fusionx.test/burrito.png",
            "url": "https://93.184.215.14/fusionx",
            "event_types": ["order.created"],
            "timezone": "Europe/Paris",
            "days": ["mon"],
            "day": "mon",
            "opens": "09:00",
            "closes": "17:00",
            "date": "2026-12-25",
            "latitude": 48.8566,
            "longitude": 2.3522,
            "start": "07:00",
            "end": "11:00",
            "line": 0,
            "quantity": 1,
            "delta": 5,
            "count": 3,
            "version": 1,
            "last_seq": 0,
            "role": "crew",  # the crew member's own: a change that changes nothing
            "code": "123456",  # a sign-in code: never Ana's (hers was used up signing in)
        }
        return Examples(
            by_name=by_name,
            optional_by_operation={
                # The reason lets the owner check in outside any hours the scene has set.
                "checkInTruck": {"truck_id": str(self.curry.id), "reason": "a private event"},
                "checkOutShift": {"force": True, "reason": "closing early"},
                "transitionTicket": {"to": "in_prep"},
                "adjustShiftStock": {"reason": "restock", "delta": 5},
                "registerPushToken": {"platform": "ios"},
                "inviteStaff": {"truck_ids": [str(self.taco.id)]},
                # A guest gives a phone number or an email: here a phone number.
                "checkOut": {"customer_phone": "+14155550123"},
                "requestCustomerSignInCode": {"email": CUSTOMER_EMAIL},
                "signInCustomer": {"email": CUSTOMER_EMAIL},
            },
        )

    def wire_example(self, operation: Operation) -> Json:
        """A body the operation accepts, or None for one that takes none."""
        if operation.operation_id == "receivePaymentNotification":
            order_id, total = self.online_order
            return self.gateway.event(order_id, total)
        if operation.operation_id == "recordSmsStatus":
            return {"MessageSid": "SM0123456789", "MessageStatus": "delivered"}
        if operation.body is None:
            return None
        body = self.examples().body(operation)
        if operation.operation_id in self.email_tokens:
            body["token"] = self.email_tokens[operation.operation_id]
        if operation.operation_id == "signInCustomer":
            body.update(email=NEW_CUSTOMER_EMAIL, code=self.sign_in_code)
        return body

    def path_values(self) -> dict[str, Any]:
        return self.ids

    async def send(
        self,
        operation: Operation,
        *,
        body: Json = None,
        raw: bytes | None = None,
        path: dict[str, Any] | None = None,
        query: dict[str, Any] | list[tuple[str, str]] | None = None,
        headers: dict[str, str | bytes] | None = None,
        caller: dict[str, str] | None = None,
    ) -> httpx.Response:
        """``operation`` with ``body`` (or the bytes ``raw``) as its caller would send it;
        ``caller``: the credential headers to send instead of the operation's own caller's."""
        own = {"order_id": self.customer_order_id} if operation.path.startswith(_CUSTOMER) else {}
        url = operation.url({**self.path_values(), **own, **(path or {})})
        own = self.credentials(operation) if caller is None else caller
        sent_headers: dict[str, str | bytes] = dict(own)
        content: bytes | None = raw
        if content is None and body is not None:
            content = urlencode(body).encode() if operation.form else json.dumps(body).encode()
        if content is not None:
            sent_headers["Content-Type"] = (
                "application/x-www-form-urlencoded" if operation.form else "application/json"
            )
        sent_headers |= self.signature(operation, body, content)
        sent_headers |= headers or {}
        if query is None:
            query = REQUIRED_QUERIES.get(operation.operation_id)
        return await self.client.request(
            operation.method, url, content=content, params=query, headers=sent_headers
        )

    def credentials(self, operation: Operation) -> dict[str, str]:
        if operation.operation_id == "recordHeartbeat":
            return self.device_headers
        if operation.operation_id in ("receivePaymentNotification", "recordSmsStatus"):
            return {}
        if operation.operation_id == "revokeMySession":  # the session is the crew's own
            return self.crew_headers
        if operation.path.startswith(_CUSTOMER):
            return self.customer_headers
        return self.owner_headers

    def signature(self, operation: Operation, body: Json, content: bytes | None) -> dict[str, str]:
        if operation.operation_id in KEY_REQUIRED:  # each request a checkout of its own
            return {"Idempotency-Key": str(uuid4())}
        if operation.operation_id == "receivePaymentNotification" and content is not None:
            return self.gateway.signed(content, self.adapters.clock.now())[1]
        if operation.operation_id == "recordSmsStatus" and isinstance(body, dict):
            form = {str(k): str(v) for k, v in body.items()}
            return {"X-Twilio-Signature": twilio_signature(SMS_SECRET, SMS_CALLBACK, form)}
        return {}


def memory_adapters() -> Adapters:
    return _for_attack(in_memory_adapters(ManualClock(), payment_webhook_secret=SECRET))


def _for_attack(adapters: Adapters) -> Adapters:
    verifier = TwilioCallbackVerifier(SMS_SECRET, SMS_CALLBACK)
    email = RecordingEmailSender()
    # Every caller of a scene asks to reset one account's password from one address: past
    # the real limits that is a 429, which says nothing of the request (the limits have
    # tests of their own, tests/http/test_password_reset.py).
    roomy = ThrottlePolicy(max_failures=10_000, window=timedelta(minutes=15))
    return dataclasses.replace(
        adapters,
        hasher=InMemoryPasswordHasher(),
        sms_callbacks=verifier,
        email=email,
        email_later=email,
        reset_limits=(roomy, roomy),
        code_limits=(roomy, roomy),
    )


@asynccontextmanager
async def sql_backend(url: str) -> AsyncIterator[Adapters]:
    """The production wiring on the database at ``url``, its background tasks not started."""
    async with sql_wiring(Settings(database_url=url, payment_webhook_secret=SECRET)) as wired:
        yield _for_attack(wired)


@asynccontextmanager
async def scene_on(adapters: Adapters) -> AsyncIterator[Scene]:
    app = create_app(Settings(), adapters)
    # The live fleet stream has no end of its own: it ends soon, once it has read.
    app.state[LIVE_TIMING_STATE_KEY] = LiveStreamTiming(lifetime=0.2)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client:
        yield await _build(app, adapters, client)


async def _build(app: Litestar, adapters: Adapters, client: httpx.AsyncClient) -> Scene:
    taco, curry = await make_truck(adapters, "Taco Titan"), await make_truck(adapters, "Curry On")
    plaza = await CreateLocation(adapters.uow(), adapters.clock, adapters.ids).execute(
        None, CreateLocationRequest(name="Market Plaza", timezone="Europe/Paris")
    )
    owner = await make_staff(adapters, role=Role.OWNER)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[taco])
    curry_manager = await make_staff(adapters, role=Role.MANAGER, trucks=[curry])
    api = _Api(client, await _sign_in(client, owner))

    mains = await api.post("/api/v1/menu/categories", {"name": "Mains"})
    size = await api.post(
        "/api/v1/menu/modifier-groups",
        {
            "name": "Size",
            "options": [{"name": "Small"}, {"name": "Large", "price_delta_cents": 150}],
        },
    )
    large = size["options"][1]["id"]
    burrito = await api.post(
        "/api/v1/menu/items",
        {"category_id": mains["id"], "name": "Burrito", "price_cents": 950,
         "modifier_group_ids": [size["id"]]},
    )  # fmt: skip
    quesadilla = await api.post(
        "/api/v1/menu/items", {"category_id": mains["id"], "name": "Quesadilla", "price_cents": 800}
    )
    secrets = await api.post(
        "/api/v1/menu/categories", {"name": "Secret menu", "truck_id": str(taco.id)}
    )
    private = await api.post(
        "/api/v1/menu/items",
        {"category_id": secrets["id"], "name": "Taco secreto", "price_cents": 700,
         "truck_id": str(taco.id)},
    )  # fmt: skip
    shift = await api.post(
        "/api/v1/shifts", {"truck_id": str(taco.id), "location_id": str(plaza.id)}
    )
    adjustments = f"/api/v1/shifts/{shift['id']}/inventory/adjustments"
    for item in (burrito, quesadilla, private):
        await api.post(adjustments, {"item_id": item["id"], "reason": "restock", "delta": 50})
    device = await api.post(
        f"/api/v1/trucks/{taco.id}/devices",
        {"label": "Grill", "platform": "ipados", "app_version": "1.0", "os_version": "17.5"},
    )
    device_headers = {"Authorization": f"Bearer {device['credential']}"}
    pushed = await client.put(
        "/api/v1/devices/me/push-token",
        json={"token": APNS_TOKEN, "app_version": "1.0", "os_version": "17.5"},
        headers=device_headers,
    )
    assert pushed.status_code == 200, pushed.text
    hook = await api.post(
        "/api/v1/webhooks/endpoints",
        {"url": "https://93.184.215.14/fusionx", "event_types": ["order.created"]},
    )
    orders = f"/api/v1/shifts/{shift['id']}/orders"
    line = {"item_id": burrito["id"], "quantity": 2, "modifiers": [large]}
    first = await api.post(orders, {"lines": [line]})
    served = await api.post(orders, {"lines": [{"item_id": quesadilla["id"], "quantity": 2}]})
    ticket = served["ticket"]
    for version, state in enumerate(("in_prep", "ready", "completed"), start=1):
        await api.post(
            f"/api/v1/tickets/{ticket['id']}/transitions", {"to": state, "version": version}
        )
    refund = await api.post(
        f"/api/v1/orders/{served['order']['id']}/refunds",
        {"reason": "duplicate", "lines": [{"line": 0, "quantity": 1}]},
    )
    online = await api.post(orders, {"lines": [line], "channel": "online"})
    # The served order's tracking link, and its customer's review of it.
    token = await tracked(adapters, served["order"]["id"])
    review = await client.post(f"/api/v1/track/{token}/review", json={"stars": 5})
    assert review.status_code == 201, review.text
    notifications = await api.get(f"/api/v1/trucks/{taco.id}/notifications")
    deliveries = await api.get(f"/api/v1/webhooks/endpoints/{hook['id']}/deliveries")
    # Taco Titan's crew member is whom the staff routes name; of their two sessions, the
    # session routes end the first, and the second is what ends it as its holder.
    ended, crew_headers = await _sign_in(client, crew), await _sign_in(client, crew)
    [session] = [
        s for s in (await _Api(client, ended).get("/api/v1/me/sessions"))["items"] if s["current"]
    ]
    email_tokens = await _email_tokens(client, api, adapters)
    customer_headers = await _customer_signed_in(client, adapters)
    customer_order_id = await _order_of(adapters, customer_headers, served["order"]["id"], client)
    sign_in_code = await _code_for(client, adapters, NEW_CUSTOMER_EMAIL)
    categories = await api.get("/api/v1/menu/categories")
    fleet_categories = [c["id"] for c in categories["items"] if c["truck_id"] is None]
    return Scene(
        adapters=adapters,
        client=client,
        taco=taco,
        curry=curry,
        plaza=plaza,
        owner=owner,
        curry_manager=curry_manager,
        owner_headers=api.headers,
        device_headers=device_headers,
        crew_headers=crew_headers,
        ids={
            "truck_id": str(taco.id),
            "location_id": str(plaza.id),
            "shift_id": shift["id"],
            "item_id": burrito["id"],
            "category_id": mains["id"],
            "group_id": size["id"],
            "ticket_id": first["ticket"]["id"],
            "order_id": served["order"]["id"],
            "refund_id": refund["id"],
            "review_id": review.json()["id"],
            "token": token,  # a path's tracking token (bodies' "token" is the APNs one)
            "device_id": device["device"]["id"],
            "notification_id": notifications["items"][0]["id"],
            "endpoint_id": hook["id"],
            "delivery_id": deliveries["items"][0]["id"],
            "staff_id": str(crew.id),
            "session_id": session["id"],
            "id": large,
            "modifiers": [large],
            "modifier_group_ids": [size["id"]],
            "category_ids": fleet_categories,
            "item_ids": [burrito["id"], quesadilla["id"]],
            "ticket_ids": [first["ticket"]["id"]],
            "truck_ids": [str(taco.id)],
            "kind": "orders",  # an export's
        },
        taco_private_item=UUID(private["id"]),
        online_order=(UUID(online["order"]["id"]), online["order"]["total_cents"]),
        app=app,
        email_tokens=email_tokens,
        customer_headers=customer_headers,
        customer_order_id=customer_order_id,
        sign_in_code=sign_in_code,
    )


async def _email_tokens(client: httpx.AsyncClient, api: _Api, adapters: Adapters) -> dict[str, str]:
    """A live token for each operation that takes one, from the emails that carry them:
    an invitation, and a crew member's (of their own, whose sessions the reset ends)
    email change and password reset."""
    crew = await make_staff(adapters, role=Role.CREW)
    await api.post(
        "/api/v1/staff/invitations", {"email": "invitee@example.test", "name": "I", "role": "crew"}
    )
    changing = _Api(client, await _sign_in(client, crew))
    moved = await client.post(
        "/api/v1/me/email",
        json={"new_email": "moved@example.test", "password": PASSWORD},
        headers=changing.headers,
    )
    assert moved.status_code == 202, moved.text
    reset = await client.post("/api/v1/auth/password-reset", json={"email": crew.email})
    assert reset.status_code == 202, reset.text
    assert isinstance(adapters.email, RecordingEmailSender)
    [invited, changed, forgotten] = adapters.email.sent
    return {
        "acceptInvitation": _link_token(invited.text),
        "confirmEmailChange": _link_token(changed.text),
        "resetPassword": _link_token(forgotten.text),
    }


async def _customer_signed_in(client: httpx.AsyncClient, adapters: Adapters) -> dict[str, str]:
    """Ana signs in to a customer account with the code emailed to her."""
    return await sign_in_by_email(client, adapters, CUSTOMER_EMAIL)


async def _order_of(
    adapters: Adapters, headers: dict[str, str], like: str, client: httpx.AsyncClient
) -> str:
    """An order on Ana's account, like the order ``like``, with her review of it (for the
    routes that change it): written straight to the store, as no route places an order
    already served."""
    me = (await client.get("/api/v1/customer/me", headers=headers)).json()
    async with adapters.uow() as uow:
        order = await uow.orders.get(UUID(like))
        assert order is not None
        shift = await uow.shifts.get(order.shift_id)
        assert shift is not None
        hers = msgspec.structs.replace(
            order, id=adapters.ids.new_id(), number=999, customer_id=UUID(me["id"])
        )
        await uow.orders.add(hers)
        now = adapters.clock.now()
        await uow.reviews.add(
            Review(
                id=adapters.ids.new_id(),
                order_id=hers.id,
                truck_id=shift.truck_id,
                author=Actor(kind=PrincipalKind.CUSTOMER, id=UUID(me["id"])),
                stars=4,
                created_at=now,
                updated_at=now,
            )
        )
        await uow.commit()
    return str(hers.id)


async def _code_for(client: httpx.AsyncClient, adapters: Adapters, email: str) -> str:
    asked = await client.post("/api/v1/customer/sign-in/code", json={"email": email})
    assert asked.status_code == 202, asked.text
    assert isinstance(adapters.email_later, RecordingEmailSender)
    return code_in(adapters.email_later.sent[-1].text)


def _link_token(text: str) -> str:
    return text.partition("#token=")[2].split()[0]


async def _sign_in(client: httpx.AsyncClient, staff: StaffMember) -> dict[str, str]:
    answer = await client.post(
        "/api/v1/auth/login", json={"email": staff.email, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@dataclass
class _Api:
    client: httpx.AsyncClient
    headers: dict[str, str]

    async def post(self, url: str, body: Json) -> Json:
        answer = await self.client.post(url, json=body, headers=self.headers)
        assert answer.status_code in (200, 201), f"{url}: {answer.text}"
        return answer.json()

    async def get(self, url: str) -> Json:
        answer = await self.client.get(url, headers=self.headers)
        assert answer.status_code == 200, f"{url}: {answer.text}"
        return answer.json()


def all_operations() -> list[Operation]:
    """The operations of the app as production builds it (the adapters do not matter)."""
    return operations(create_app(Settings(), in_memory_adapters()))
