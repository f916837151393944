"""Every privileged route leaves exactly one record on the audit trail, naming the
caller, the client's address and the request's id. Every route that changes something
is either here, with a request that succeeds, or among the routes the trail leaves
out, with the reason: a new route without a row fails."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.core.model.paging import PageRequest
from fusionx.core.model.shifts import Shift
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.model.webhooks import DeliveryFilter
from fusionx.core.use_cases.commands.register_device import RegisteredDevice
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import make_staff
from tests.http.conftest import Fleet, Headers, place
from tests.http.test_secrets_at_rest import an_endpoint
from tests.support.tracking import reviewed

# Test client requests come from this peer.
ADDRESS = "testclient"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Changes the trail leaves out, and why.
NOT_AUDITED = {
    "queryGraphQL": "reads only: a GraphQL query, run by the query use cases (no mutation)",
    "logIn": "a session, not a change to the fleet (sessions are the accounts' work)",
    "logOut": "the caller's own session",
    "signInPage": "a session, as logIn (the pages' sign-in form calls the same use case)",
    "signOutPage": "the caller's own session, as logOut",
    # Dashboard pages: audited by the use case they share with the API route named, but
    # sent with a cookie and a form, which this table's requests are not;
    # tests/web/test_dashboard.py checks their records.
    "markSoldOutPage": "audited as adjustShiftStock (stock.adjusted): a page request",
    "countStockPage": "audited as adjustShiftStock (stock.adjusted): a page request",
    "setShiftThrottlePage": "audited as setShiftCapacity (shift.capacity_set): a page request",
    "changeMyPassword": "the caller's own account",
    "updateMe": "the caller's own profile",
    "checkInTruck": "routine, on the shift's log; out of hours: truck.checked_in_out_of_hours",
    "pauseShift": "routine kitchen operation, on the shift's log",
    "resumeShift": "routine kitchen operation, on the shift's log",
    "placeOrder": "a sale, on the shift's log",
    "bulkAdvanceTickets": "kitchen work, on the shift's log",
    "registerPushToken": "a device's own push address",
    "pairBoardPage": "a tablet pairing by code: the device it makes is on the truck's fleet "
    "log (device.registered, by the manager who asked for the code)",
    "moveBoardTicketPage": "transitionTicket's use case: a cancellation is audited there (the "
    "board offers none); bumps, holds and recalls are kitchen work, on the shift's log",
    "requestPairingCode": "no change until a tablet pairs: the device it makes is on the "
    "truck's fleet log (device.registered, by the manager who asked)",
    "recordSmsStatus": "a provider's delivery report",
    "receivePaymentNotification": "a gateway's report, on the shift's log",
    "recordHeartbeat": "a device's own liveness",
    "revokeMySession": "the caller's own session",
    "requestPasswordReset": "changes nothing: the reset is staff.password_reset, once done",
    "changeMyEmail": "changes nothing: the change is staff.email_changed, once confirmed",
    # Audited (staff.*), with a single-use email token this scene does not hold: their
    # fleet-log records are checked in tests/http/test_invitations.py,
    # test_password_reset.py and test_email_change.py.
    "acceptInvitation": "staff.invitation_accepted, checked where its token is",
    "resetPassword": "staff.password_reset, checked where its token is",
    "confirmEmailChange": "staff.email_changed, checked where its token is",
    # The decision is refundOrder's record; a retry of a pending refund adds the gateway's
    # answer (order.refund_settled), as test_gateway_refunds.py shows; a settled one: none.
    "retryRefund": "the gateway's answer to a refund already on the trail",
    "quoteCart": "changes nothing: a price and the free slots, nothing reserved",
    "quoteCartPage": "changes nothing, as quoteCart (the checkout page's cart priced)",
    "checkOut": "a customer's order, on the shift's stream (its hold and its payment too)",
    # The customer's side: their own account, not the fleet's (points moved by their
    # orders are loyalty.* events on the fleet's stream, where the order's change is).
    "requestCustomerSignInCode": "changes nothing of the fleet: a code sent, counted",
    "signInCustomer": "a customer's own session (and account, on the first sign-in)",
    "signOutCustomer": "a customer's own session",
    "changeCustomerProfile": "a customer's own name and language",
    # A customer's own words about their own order; hiding one (hideReview) is audited.
    "reviewTrackedOrder": "a customer's review of their own order, no change to the fleet",
    "changeTrackedOrderReview": "a customer's own review, within its 24 hours",
    "reviewCustomerOrder": "a signed-in customer's review of their own order",
    "changeCustomerOrderReview": "a signed-in customer's own review, within its 24 hours",
}


@dataclass(frozen=True, kw_only=True)
class Scene:
    fleet: Fleet
    shift: Shift
    manager: Headers
    owner: Headers
    order: dict[str, Any]
    device_id: str
    group_id: str
    retired_truck_id: str  # deactivated, for reactivation
    spare_location_id: str  # no shift there, for deactivation
    retired_location_id: str  # deactivated, for reactivation
    retired_staff_id: str  # deactivated, for reactivation
    manager_session_id: str  # another session of the manager's, for an owner to end
    endpoint_id: str  # a webhook endpoint, subscribed to new orders
    delivery_id: str  # its delivery of the scene's order
    review_id: str  # a customer's review of a taco order, for a manager to hide


@dataclass(frozen=True, kw_only=True)
class Call:
    method: str
    path: str
    body: dict[str, Any] | None
    by: str  # "manager" or "owner"


SPARE_LOCATION = {"name": "Quay", "timezone": "Europe/Paris"}
HOURS = {"weekly": [{"day": "mon", "opens": "11:00", "closes": "15:00"}]}


def _mains(s: Scene) -> str:
    return str(s.fleet.burrito.category_id)


AUDITED: dict[str, Callable[[Scene], Call]] = {
    "inviteStaff": lambda s: Call(
        method="POST",
        path="/api/v1/staff/invitations",
        body={
            "email": "new.crew@example.test",
            "name": "New",
            "role": "crew",
            "truck_ids": [str(s.fleet.taco.id)],
        },
        by="manager",
    ),
    "registerDevice": lambda s: Call(
        method="POST",
        path=f"/api/v1/trucks/{s.fleet.taco.id}/devices",
        body={"label": "Pass", "platform": "ios", "app_version": "1.0", "os_version": "17"},
        by="manager",
    ),
    "revokeDevice": lambda s: Call(
        method="DELETE", path=f"/api/v1/devices/{s.device_id}", body=None, by="manager"
    ),
    "checkOutShift": lambda s: Call(
        method="POST",
        path=f"/api/v1/shifts/{s.shift.id}/checkout",
        body={"force": True, "reason": "Storm"},
        by="manager",
    ),
    "adjustShiftStock": lambda s: Call(
        method="POST",
        path=f"/api/v1/shifts/{s.shift.id}/inventory/adjustments",
        body={"item_id": str(s.fleet.burrito.id), "reason": "count", "count": 2},
        by="manager",
    ),
    "refundOrder": lambda s: Call(
        method="POST",
        path=f"/api/v1/orders/{s.order['order']['id']}/refunds",
        body={"reason": "out_of_stock", "lines": [{"line": 0, "quantity": 1}]},
        by="manager",
    ),
    "transitionTicket": lambda s: Call(
        method="POST",
        path=f"/api/v1/tickets/{s.order['ticket']['id']}/transitions",
        body={"to": "cancelled", "version": 1, "cancel_reason": "customer_request"},
        by="manager",
    ),
    "setItemStockThreshold": lambda s: Call(
        method="PUT",
        path=f"/api/v1/menu/items/{s.fleet.burrito.id}/low-stock-threshold",
        body={"threshold": 4},
        by="owner",
    ),
    "setShiftStockThreshold": lambda s: Call(
        method="PUT",
        path=f"/api/v1/shifts/{s.shift.id}/stock-thresholds/{s.fleet.burrito.id}",
        body={"threshold": 3},
        by="manager",
    ),
    "addMenuCategory": lambda _: Call(
        method="POST", path="/api/v1/menu/categories", body={"name": "Sweets"}, by="owner"
    ),
    "changeMenuCategory": lambda s: Call(
        method="PATCH",
        path=f"/api/v1/menu/categories/{_mains(s)}",
        body={"name": "Big mains"},
        by="owner",
    ),
    "reorderMenuCategories": lambda s: Call(
        method="PUT",
        path="/api/v1/menu/categories/order",
        body={"category_ids": [str(s.fleet.horchata.category_id), _mains(s)]},
        by="owner",
    ),
    "reorderMenuItems": lambda s: Call(
        method="PUT",
        path=f"/api/v1/menu/categories/{_mains(s)}/items/order",
        body={"item_ids": [str(s.fleet.quesadilla.id), str(s.fleet.burrito.id)]},
        by="owner",
    ),
    "addMenuItem": lambda s: Call(
        method="POST",
        path="/api/v1/menu/items",
        body={"category_id": _mains(s), "name": "Taco", "price_cents": 400},
        by="owner",
    ),
    "changeMenuItem": lambda s: Call(
        method="PATCH",
        path=f"/api/v1/menu/items/{s.fleet.burrito.id}",
        body={"price_cents": 990},
        by="owner",
    ),
    "addModifierGroup": lambda _: Call(
        method="POST",
        path="/api/v1/menu/modifier-groups",
        body={"name": "Heat", "options": [{"name": "Mild"}, {"name": "Hot"}]},
        by="owner",
    ),
    "changeModifierGroup": lambda s: Call(
        method="PATCH",
        path=f"/api/v1/menu/modifier-groups/{s.group_id}",
        body={"name": "Salsas"},
        by="owner",
    ),
    "setTruckMenu": lambda s: Call(
        method="PUT",
        path=f"/api/v1/trucks/{s.fleet.taco.id}/menu",
        body={"items": [{"item_id": str(s.fleet.burrito.id), "price_cents": 1000}]},
        by="owner",
    ),
    "addShiftSpecial": lambda s: Call(
        method="POST",
        path=f"/api/v1/shifts/{s.shift.id}/specials",
        body={"category_id": _mains(s), "name": "Birria", "price_cents": 1200, "stock": 5},
        by="manager",
    ),
    "setShiftCapacity": lambda s: Call(
        method="PUT",
        path=f"/api/v1/shifts/{s.shift.id}/capacity",
        body={"throttle": {"window_minutes": 15, "max_orders": 10}},
        by="manager",
    ),
    "createTruck": lambda _: Call(
        method="POST", path="/api/v1/trucks", body={"name": "Pho Real"}, by="owner"
    ),
    "changeTruck": lambda s: Call(
        method="PATCH",
        path=f"/api/v1/trucks/{s.fleet.taco.id}",
        body={"name": "Taco Tuesday"},
        by="owner",
    ),
    "deactivateTruck": lambda s: Call(
        method="POST", path=f"/api/v1/trucks/{s.fleet.curry.id}/deactivate", body=None, by="owner"
    ),
    "reactivateTruck": lambda s: Call(
        method="POST", path=f"/api/v1/trucks/{s.retired_truck_id}/reactivate", body=None, by="owner"
    ),
    "setTruckHours": lambda s: Call(
        method="PUT", path=f"/api/v1/trucks/{s.fleet.taco.id}/hours", body=HOURS, by="manager"
    ),
    "createLocation": lambda _: Call(
        method="POST",
        path="/api/v1/locations",
        body={"name": "Harbour", "timezone": "Europe/Lisbon"},
        by="owner",
    ),
    "changeLocation": lambda s: Call(
        method="PATCH",
        path=f"/api/v1/locations/{s.fleet.plaza.id}",
        body={"name": "Old Plaza"},
        by="owner",
    ),
    "deactivateLocation": lambda s: Call(
        method="POST",
        path=f"/api/v1/locations/{s.spare_location_id}/deactivate",
        body=None,
        by="owner",
    ),
    "reactivateLocation": lambda s: Call(
        method="POST",
        path=f"/api/v1/locations/{s.retired_location_id}/reactivate",
        body=None,
        by="owner",
    ),
    "setLocationHours": lambda s: Call(
        method="PUT", path=f"/api/v1/locations/{s.fleet.plaza.id}/hours", body=HOURS, by="owner"
    ),
    "setStaffRole": lambda s: Call(
        method="PUT",
        path=f"/api/v1/staff/{s.fleet.taco_crew.id}/role",
        body={"role": "manager"},
        by="owner",
    ),
    "assignStaffTruck": lambda s: Call(
        method="PUT",
        path=f"/api/v1/staff/{s.fleet.curry_manager.id}/trucks/{s.fleet.taco.id}",
        body=None,
        by="owner",
    ),
    "unassignStaffTruck": lambda s: Call(
        method="DELETE",
        path=f"/api/v1/staff/{s.fleet.taco_crew.id}/trucks/{s.fleet.taco.id}",
        body=None,
        by="manager",
    ),
    "deactivateStaff": lambda s: Call(
        method="POST",
        path=f"/api/v1/staff/{s.fleet.curry_manager.id}/deactivate",
        body=None,
        by="owner",
    ),
    "reactivateStaff": lambda s: Call(
        method="POST", path=f"/api/v1/staff/{s.retired_staff_id}/reactivate", body=None, by="owner"
    ),
    "revokeStaffSession": lambda s: Call(
        method="DELETE",
        path=f"/api/v1/staff/{s.fleet.taco_manager.id}/sessions/{s.manager_session_id}",
        body=None,
        by="owner",
    ),
    "setTruckCapacity": lambda s: Call(
        method="PUT",
        path=f"/api/v1/trucks/{s.fleet.taco.id}/capacity",
        body={"slots": {"slot_minutes": 15, "orders_per_slot": 4}},
        by="manager",
    ),
    "hideReview": lambda s: Call(
        method="POST",
        path=f"/api/v1/reviews/{s.review_id}/hide",
        body={"reason": "insults the crew"},
        by="manager",
    ),
}


AUDITED |= {
    "createWebhookEndpoint": lambda _: Call(
        method="POST",
        path="/api/v1/webhooks/endpoints",
        body={"url": "https://93.184.215.14/hooks", "event_types": ["order.created"]},
        by="owner",
    ),
    "changeWebhookEndpoint": lambda s: Call(
        method="PATCH",
        path=f"/api/v1/webhooks/endpoints/{s.endpoint_id}",
        body={"active": False},
        by="owner",
    ),
    "deleteWebhookEndpoint": lambda s: Call(
        method="DELETE", path=f"/api/v1/webhooks/endpoints/{s.endpoint_id}", body=None, by="owner"
    ),
    "rotateWebhookSecret": lambda s: Call(
        method="POST",
        path=f"/api/v1/webhooks/endpoints/{s.endpoint_id}/secret",
        body=None,
        by="owner",
    ),
    "replayWebhookDeliveries": lambda s: Call(
        method="POST",
        path=f"/api/v1/webhooks/endpoints/{s.endpoint_id}/replay",
        body={"state": None},
        by="owner",
    ),
    "replayWebhookDelivery": lambda s: Call(
        method="POST",
        path=f"/api/v1/webhooks/deliveries/{s.delivery_id}/replay",
        body=None,
        by="owner",
    ),
}


def _writes(app: Litestar) -> set[str]:
    return {
        str(handler.operation_id)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if WRITES & set(getattr(handler, "http_methods", ()))
    }


def test_every_route_that_changes_something_is_audited_or_said_not_to_be(app: Litestar) -> None:
    writes = _writes(app)
    assert writes - AUDITED.keys() - NOT_AUDITED.keys() == set()
    assert (AUDITED.keys() | NOT_AUDITED.keys()) - writes == set()  # no stale row


@pytest.fixture
async def scene(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    sign_in: Callable[..., Awaitable[Headers]],
    restock: Callable[..., Awaitable[None]],
    register_device: Callable[..., Awaitable[RegisteredDevice]],
    adapters: Adapters,
) -> Scene:
    owner = await sign_in(fleet.owner)
    await restock(taco_shift, fleet.burrito, 5, manager)
    endpoint_id = await an_endpoint(adapters, fleet)
    order = await place(client, taco_shift, manager, (fleet.burrito, 2))
    async with adapters.reader() as uow:
        [delivery] = (
            await uow.webhook_deliveries.listing(endpoint_id, DeliveryFilter(), PageRequest())
        ).items
    _token, review = await reviewed(
        client, adapters, await place(client, taco_shift, manager, (fleet.burrito, 1)), manager
    )
    device = await register_device(fleet.taco, by=fleet.taco_manager)
    group = await client.post(
        "/api/v1/menu/modifier-groups",
        json={"name": "Salsa", "options": [{"name": "Verde"}]},
        headers=owner,
    )
    assert group.status_code == 201, group.text

    async def created(path: str, body: dict[str, Any]) -> str:
        response = await client.post(path, json=body, headers=owner)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def retired(path: str, body: dict[str, Any]) -> str:
        made = await created(path, body)
        response = await client.post(f"{path}/{made}/deactivate", headers=owner)
        assert response.status_code == 200, response.text
        return made

    async def retired_staff() -> str:
        member = await make_staff(adapters, role=Role.CREW)
        response = await client.post(f"/api/v1/staff/{member.id}/deactivate", headers=owner)
        assert response.status_code == 200, response.text
        return str(member.id)

    async def other_session(member: StaffMember) -> str:
        headers = await sign_in(member)
        sessions = await client.get("/api/v1/me/sessions", headers=headers)
        return str(next(s["id"] for s in sessions.json()["items"] if s["current"]))

    return Scene(
        fleet=fleet,
        shift=taco_shift,
        manager=manager,
        owner=owner,
        order=order,
        device_id=str(device.device.id),
        group_id=group.json()["id"],
        retired_truck_id=await retired("/api/v1/trucks", {"name": "Old Banger"}),
        spare_location_id=await created("/api/v1/locations", SPARE_LOCATION),
        retired_location_id=await retired("/api/v1/locations", SPARE_LOCATION),
        retired_staff_id=await retired_staff(),
        manager_session_id=await other_session(fleet.taco_manager),
        endpoint_id=str(endpoint_id),
        delivery_id=str(delivery.id),
        review_id=review["id"],
    )


async def _trail(client: AsyncTestClient[Litestar], owner: Headers) -> dict[str, Any]:
    response = await client.get("/api/v1/audit", params={"limit": 200}, headers=owner)
    assert response.status_code == 200, response.text
    return {f"{r['stream']}#{r['seq']}": r for r in response.json()["items"]}


@pytest.mark.parametrize("operation", sorted(AUDITED))
async def test_a_privileged_route_leaves_one_record_naming_who_where_and_which_request(
    client: AsyncTestClient[Litestar], scene: Scene, operation: str
) -> None:
    call = AUDITED[operation](scene)
    staff: StaffMember = scene.fleet.taco_manager if call.by == "manager" else scene.fleet.owner
    headers = {**(scene.manager if call.by == "manager" else scene.owner)}
    request_id = f"audit-{operation}"
    before = await _trail(client, scene.owner)

    response = await client.request(
        call.method,
        call.path,
        json=call.body,
        headers={**headers, "x-request-id": request_id},
    )
    after = await _trail(client, scene.owner)

    assert response.status_code < 300, response.text
    [new] = [record for key, record in after.items() if key not in before]
    assert new["actor"] == {"kind": "staff", "id": str(staff.id)}
    assert (new["address"], new["request_id"]) == (ADDRESS, request_id)
