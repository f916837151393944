"""Issue 16's story, end to end on PostgreSQL, through the production wiring: the mail
goes to a local SMTP server and payments to a local server speaking Stripe's API.

An anonymous customer finds a truck near them and reads its menu, signs in by the code
mailed to them, quotes a cart and checks out for a free pickup slot, pays (the gateway's
signed webhook sends the order to the kitchen), follows it over its tracking link while
the kitchen makes it, is mailed in French when it is ready, reviews it and sees the
truck's rating, and finds the points it earned. A second order spends them, is paid and
refunded in full by a manager: the refund reaches the gateway, the spent points come
back, the earned ones are taken back, and the ledger still sums to the balance."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest

from fusionx.adapters.email.smtp import SmtpEmailSender
from fusionx.adapters.payments.stripe_gateway import StripePaymentGateway
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.check_in_truck import CheckInRequest, CheckInTruck
from fusionx.core.use_cases.commands.create_location import CreateLocation, CreateLocationRequest
from fusionx.core.use_cases.commands.create_menu_entries import (
    CreateCategoryRequest,
    CreateItemRequest,
    CreateMenuEntries,
)
from fusionx.core.use_cases.commands.dispatch_notifications import DispatchNotifications
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from tests.factories import PASSWORD, make_staff, make_truck
from tests.http.conftest import as_staff, bearer, walk
from tests.support.customers import code_in
from tests.support.databases import MigratedDatabase
from tests.support.gateway import SECRET, WEBHOOK, Gateway
from tests.support.smtp_server import SmtpServer
from tests.support.stripe_server import API_KEY, FakeStripe, StripeServer
from tests.support.tracking import sse_messages
from tests.support.wiring import sql_wiring

pytestmark = pytest.mark.postgres

QUAY = (48.8566, 2.3522)
PARK = (48.8666, 2.3522)  # 1.1 km north of the quay
ANA = "ana@example.com"
Json = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Story:
    client: httpx.AsyncClient
    adapters: Adapters
    smtp: SmtpServer
    stripe: FakeStripe
    truck_id: str
    shift_id: str
    burrito_id: str
    horchata_id: str
    manager: dict[str, str]
    owner: dict[str, str]
    location_id: str


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def stripe() -> Iterator[tuple[FakeStripe, str]]:
    fake = FakeStripe()
    with StripeServer(fake) as server:
        yield fake, server.url


@pytest.fixture
async def story(
    postgres_database: MigratedDatabase, smtp: SmtpServer, stripe: tuple[FakeStripe, str]
) -> AsyncIterator[Story]:
    """The production wiring on PostgreSQL, its mail to ``smtp`` and its payments to
    ``stripe``; a truck checked in at the park with a menu, its manager and the owner.
    Requests go through ASGI on the test's own loop (the pool's connections belong to
    it); its background tasks are not started: the test runs the dispatcher itself."""
    await postgres_database.empty()
    mail = SmtpEmailSender(
        host="127.0.0.1", port=smtp.port, sender="FusionX <no-reply@fusionx.test>",
        starttls=False, timeout_seconds=5,
    )  # fmt: skip
    gateway = StripePaymentGateway(
        api_key=API_KEY, api_url=stripe[1], timeout_seconds=2, backoff_seconds=0.01
    )
    settings = Settings(database_url=postgres_database.url, payment_webhook_secret=SECRET)
    async with sql_wiring(settings) as wired:
        adapters = dataclasses.replace(
            wired, email=mail, email_later=mail, payments=gateway, refunds=gateway
        )
        transport = httpx.ASGITransport(app=create_app(Settings(), adapters))
        async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client:
            yield await _scene(client, adapters, smtp, stripe[0])
    await gateway.close()


async def _scene(
    client: httpx.AsyncClient, adapters: Adapters, smtp: SmtpServer, stripe: FakeStripe
) -> Story:
    truck = await make_truck(adapters, "Taco Titan")
    park = await CreateLocation(adapters.uow(), adapters.clock, adapters.ids).execute(
        None,
        CreateLocationRequest(
            name="Park", timezone="Europe/Paris", latitude=PARK[0], longitude=PARK[1]
        ),
    )
    menu = CreateMenuEntries(adapters.uow(), adapters.clock, adapters.ids)
    mains = await menu.category(CreateCategoryRequest(name="Mains", display_order=1))
    drinks = await menu.category(CreateCategoryRequest(name="Drinks", display_order=2))
    burrito = await menu.item(
        CreateItemRequest(category_id=mains.id, name="Burrito", price_cents=950, display_order=1)
    )
    horchata = await menu.item(
        CreateItemRequest(category_id=drinks.id, name="Horchata", price_cents=350, display_order=1)
    )
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    owner = await make_staff(adapters, role=Role.OWNER)
    shift = await CheckInTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
        as_staff(manager), CheckInRequest(truck_id=truck.id, location_id=park.id)
    )
    story = Story(
        client=client, adapters=adapters, smtp=smtp, stripe=stripe,
        truck_id=str(truck.id), shift_id=str(shift.id), burrito_id=str(burrito.id),
        horchata_id=str(horchata.id), manager=await _login(client, manager.email),
        owner=await _login(client, owner.email), location_id=str(park.id),
    )  # fmt: skip
    for item_id in (story.burrito_id, story.horchata_id):
        restock = {"item_id": item_id, "reason": "restock", "delta": 10}
        adjustments = f"/api/v1/shifts/{shift.id}/inventory/adjustments"
        await _ok(client, "POST", adjustments, restock, story.manager, status=201)
    slots = {"slots": {"slot_minutes": 15, "orders_per_slot": 2}}
    await _ok(client, "PUT", f"/api/v1/shifts/{shift.id}/capacity", slots, story.manager)
    taxed = {"tax_rate_bp": 825, "tax_inclusive": False}
    await _ok(client, "PATCH", f"/api/v1/locations/{park.id}", taxed, story.owner)
    return story


async def test_a_customer_finds_orders_pays_follows_reviews_earns_and_spends(
    story: Story,
) -> None:
    client, truck = story.client, story.truck_id

    # 1. Anonymous: the truck near the quay, and its menu.
    await _finds_the_truck(story)

    # 2. Signs in by the code mailed to her.
    ana = await _signed_in(story, ANA)

    # 3. Quotes a cart and checks out for the first free slot, asking to be told.
    cart = _lines((story.burrito_id, 2), (story.horchata_id, 1))
    quote = await _ok(client, "POST", f"/api/v1/public/trucks/{truck}/cart/quote", cart)
    # 2 x 9.50 + 3.50 = 22.50; 8.25 % of it, rounded once: 1.86.
    assert (quote["money"]["subtotal_cents"], quote["money"]["tax_cents"]) == (2250, 186)
    slot = quote["pickup_slots"][0]["start"]
    first = await _check_out(
        story, ana, {**cart, "pickup_at": slot, "locale": "fr", "notify": True}
    )
    assert (first["money"]["total_cents"], first["pickup_at"], first["state"]) == (
        2436, slot, "awaiting_payment",
    )  # fmt: skip
    token = first["tracking_token"]
    assert first["tracking_url"].endswith(f"/app/shop/track/{token}")
    assert (await _tracked(story, token))["status"] == "awaiting_payment"

    # 4. Pays: the gateway confirms the intent, its webhook sends the order to the kitchen.
    await _pay(story, first)
    assert (await _tracked(story, token))["status"] == "queued"
    order = await _ok(client, "GET", f"/api/v1/orders/{first['order_id']}", None, story.manager)
    assert order["payment"]["paid_cents"] == 2436

    # 5. Follows it, live and by its page, while the kitchen makes it; 6. is mailed, in
    # French, once it is ready.
    following = asyncio.create_task(client.get(f"/api/v1/track/{token}/events"))
    await asyncio.sleep(0.5)  # subscribed, and the order as it is sent first
    ticket = order["ticket"]
    ticket["version"] = await walk(client, ticket, story.manager, "in_prep")
    assert (await _tracked(story, token))["status"] == "preparing"
    ticket["version"] = await walk(client, ticket, story.manager, "ready")
    assert (await _tracked(story, token))["status"] == "ready"
    before = len(story.smtp.received)
    await _dispatch(story)
    [ready] = story.smtp.received[before:]
    assert ready.recipients == [ANA]
    assert ready.message["Subject"] == f"La commande {first['number']} est prête"
    plain = ready.message.get_body(preferencelist=("plain",))
    assert plain is not None
    assert "prête à retirer" in plain.get_content()
    assert first["tracking_url"] in plain.get_content()
    await walk(client, ticket, story.manager, "completed")
    assert (await _tracked(story, token))["status"] == "picked_up"
    live = await asyncio.wait_for(following, 10)  # the stream ends with the order
    assert live.status_code == 200, live.text
    moves = [m["status"] for m in sse_messages(live.text)]
    assert moves == ["queued", "preparing", "ready", "picked_up"]

    # 7. Reviews it from her account; the truck's menu shows the rating.
    review = await client.post(
        f"/api/v1/customer/orders/{first['order_id']}/review",
        json={"stars": 5, "comment": "Le meilleur burrito du quai"},
        headers=ana,
    )
    assert review.status_code == 201, review.text
    rated = await _ok(client, "GET", f"/api/v1/public/trucks/{truck}/menu")
    assert rated["rating"]["count"] == 1
    assert rated["rating"]["mean"] == 5
    assert (await _tracked(story, token))["review"]["stars"] == 5

    # 8. The points it earned: one per whole euro paid.
    earned = await _ok(client, "GET", "/api/v1/customer/loyalty", None, ana)
    assert (earned["balance"], earned["worth_cents"]) == (24, 24)

    # 9. A second order spends them, is paid, and is refunded in full.
    await _spends_them_and_is_refunded(story, ana, first)


async def _finds_the_truck(story: Story) -> None:
    client, truck = story.client, story.truck_id
    near = await _ok(client, "GET", f"/api/v1/public/trucks?lat={QUAY[0]}&lon={QUAY[1]}")
    [front] = near["items"]
    assert (front["id"], front["name"], front["taking_orders"]) == (truck, "Taco Titan", True)
    assert 1000 < front["distance_m"] < 1200
    menu = await _ok(client, "GET", f"/api/v1/public/trucks/{truck}/menu")
    assert [i["name"] for c in menu["categories"] for i in c["items"]] == ["Burrito", "Horchata"]
    assert menu["rating"] == {"count": 0, "mean": None}


async def _spends_them_and_is_refunded(story: Story, ana: dict[str, str], first: Json) -> None:
    """All 24 points off a burrito, before the tax; paid; refunded in full once picked up."""
    client = story.client
    second = await _check_out(story, ana, {**_lines((story.burrito_id, 1)), "points": 24})
    # 9.50 - 0.24 = 9.26; 8.25 % of it is 0.76395: 0.76.
    assert second["money"] | {"currency": None} == {
        "subtotal_cents": 950, "discount_cents": 24, "tax_cents": 76, "total_cents": 1002,
        "tax_rate_bp": 825, "tax_inclusive": False, "currency": None,
    }  # fmt: skip
    spent = await _ok(client, "GET", "/api/v1/customer/loyalty", None, ana)
    assert spent["balance"] == 0
    await _pay(story, second)
    assert (await _ok(client, "GET", "/api/v1/customer/loyalty", None, ana))["balance"] == 10
    paid = await _ok(client, "GET", f"/api/v1/orders/{second['order_id']}", None, story.manager)
    await walk(client, paid["ticket"], story.manager, "in_prep", "ready", "completed")
    refund = await client.post(
        f"/api/v1/orders/{second['order_id']}/refunds",
        json={"reason": "customer_request"},
        headers=story.manager,
    )
    assert refund.status_code == 201, refund.text
    assert refund.json()["status"] == "succeeded"
    [given] = story.stripe.refunds.values()
    assert (given["payment_intent"], given["amount"]) == (second["payment"]["id"], 1002)
    assert given["metadata"]["refund_id"] == refund.json()["id"]

    account = await _ok(client, "GET", "/api/v1/customer/loyalty", None, ana)
    entries = [(e["kind"], e["points"], e["order_id"]) for e in account["entries"]["items"]]
    assert sorted(entries) == sorted([
        ("earned", 24, first["order_id"]),
        ("spent", -24, second["order_id"]),
        ("earned", 10, second["order_id"]),
        ("reversed", -10, second["order_id"]),
        ("returned", 24, second["order_id"]),
    ])  # fmt: skip
    assert account["balance"] == 24 == sum(points for _, points, _ in entries)
    assert (await _tracked(story, second["tracking_token"]))["status"] == "refunded"


def _lines(*lines: tuple[str, int]) -> Json:
    return {"lines": [{"item_id": item_id, "quantity": quantity} for item_id, quantity in lines]}


async def _ok(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> Json:
    response = await client.request(method, path, json=body, headers=headers)
    assert response.status_code == status, response.text
    answer: Json = response.json()
    return answer


async def _login(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    answer = await _ok(client, "POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
    return bearer(answer["token"])


async def _signed_in(story: Story, email: str) -> dict[str, str]:
    before = len(story.smtp.received)
    asked = await story.client.post("/api/v1/customer/sign-in/code", json={"email": email})
    assert asked.status_code == 202, asked.text
    [mail] = story.smtp.received[before:]
    assert mail.recipients == [email]
    plain = mail.message.get_body(preferencelist=("plain",))
    assert plain is not None
    code = code_in(plain.get_content())
    body = {"email": email, "code": code}
    return bearer((await _ok(story.client, "POST", "/api/v1/customer/sign-in", body))["token"])


async def _check_out(story: Story, customer: dict[str, str], fields: Json) -> Json:
    body = {"customer_name": "Ana", "customer_email": ANA, **fields}
    return await _ok(
        story.client, "POST", f"/api/v1/public/trucks/{story.truck_id}/checkout", body,
        {**customer, "Idempotency-Key": str(uuid4())}, status=201,
    )  # fmt: skip


async def _pay(story: Story, checked_out: Json) -> None:
    """The customer's browser confirms the intent; the gateway says so, signed."""
    intent = checked_out["payment"]
    story.stripe.succeed(intent["id"])
    notice = Gateway()
    event = notice.event(
        checked_out["order_id"], intent["amount_cents"], event_id=f"evt_{uuid4().hex}",
        payment_id=intent["id"],
    )  # fmt: skip
    body, headers = notice.signed(event, datetime.now(UTC))
    answer = await story.client.post(WEBHOOK, content=body, headers=headers)
    assert answer.json() == {"outcome": "queued"}, answer.text


async def _tracked(story: Story, token: str) -> Json:
    return await _ok(story.client, "GET", f"/api/v1/track/{token}")


async def _dispatch(story: Story) -> None:
    """One pass of the outbox's dispatcher, as the background task runs it."""
    adapters = story.adapters
    await DispatchNotifications(
        adapters.uow, adapters.clock, adapters.ids, adapters.push, adapters.sms,
        email=adapters.email, tracking=adapters.tracking,
    ).execute()  # fmt: skip
