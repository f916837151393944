"""The published API description: what mobile and kitchen clients generate code from."""

from __future__ import annotations

import re
from importlib.metadata import version
from uuid import uuid4

import pytest

# The payment webhook and the SMS provider's delivery reports are authenticated by their
# signatures, not by a bearer credential.
PUBLIC = {
    "logIn",
    # Reached from an email's link: its single-use token is the credential.
    "requestPasswordReset",
    "resetPassword",
    "acceptInvitation",
    "confirmEmailChange",
    "checkLiveness",
    "checkReadiness",
    "receivePaymentNotification",
    "recordSmsStatus",
    # Customers browse before they have any account.
    "listOpenTrucks",
    "getTruckFront",
    "getPublicMenu",
    # Guests check out without an account; signed-in customers may too (optional token).
    "quoteCart",
    "checkOut",
    # An order's tracking link: the token in the path is the credential.
    "getTrackedOrder",
    "followTrackedOrder",
    "reviewTrackedOrder",
    "changeTrackedOrderReview",
    # A customer signs in by a code sent to them: before they hold any credential.
    "requestCustomerSignInCode",
    "signInCustomer",
}


@pytest.fixture
async def schema(client) -> dict:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


async def test_metadata_and_bearer_scheme(schema):
    assert schema["info"]["title"] == "FusionX"
    assert schema["info"]["version"] == version("fusionx")
    assert schema["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A staff session token (fxs_…) or a device credential (fxd_…)",
    }


async def test_the_contracted_routes_are_all_there(schema):
    found = {(method, path) for path, method, _ in operations(schema)}

    assert found == {
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/auth/logout"),
        ("post", "/api/v1/auth/password-reset"),
        ("post", "/api/v1/auth/password-reset/confirm"),
        ("post", "/api/v1/auth/invitations/accept"),
        ("post", "/api/v1/auth/email/confirm"),
        ("post", "/api/v1/staff/invitations"),
        ("post", "/api/v1/me/email"),
        ("get", "/api/v1/me"),
        ("post", "/api/v1/trucks/{truck_id}/devices"),
        ("post", "/api/v1/trucks/{truck_id}/pairing-codes"),
        ("get", "/api/v1/trucks/{truck_id}/devices"),
        ("delete", "/api/v1/devices/{device_id}"),
        ("get", "/health/live"),
        ("get", "/health/ready"),
        ("post", "/api/v1/shifts"),
        ("get", "/api/v1/shifts/{shift_id}"),
        ("post", "/api/v1/shifts/{shift_id}/pause"),
        ("post", "/api/v1/shifts/{shift_id}/resume"),
        ("post", "/api/v1/shifts/{shift_id}/checkout"),
        ("get", "/api/v1/shifts/{shift_id}/menu"),
        ("post", "/api/v1/shifts/{shift_id}/inventory/adjustments"),
        ("post", "/api/v1/shifts/{shift_id}/orders"),
        ("get", "/api/v1/shifts/{shift_id}/tickets"),
        ("post", "/api/v1/tickets/{ticket_id}/transitions"),
        ("patch", "/api/v1/me"),
        ("post", "/api/v1/me/password"),
        ("put", "/api/v1/devices/me/push-token"),
        ("get", "/api/v1/trucks/{truck_id}/notifications"),
        ("get", "/api/v1/trucks/{truck_id}/notifications/{notification_id}"),
        ("put", "/api/v1/shifts/{shift_id}/stock-thresholds/{item_id}"),
        ("put", "/api/v1/menu/items/{item_id}/low-stock-threshold"),
        ("post", "/api/v1/sms/status"),
        ("get", "/api/v1/orders/{order_id}"),
        ("post", "/api/v1/orders/{order_id}/refunds"),
        ("post", "/api/v1/orders/{order_id}/refunds/{refund_id}/retry"),
        ("post", "/api/v1/shifts/{shift_id}/tickets/bulk-advance"),
        ("get", "/api/v1/shifts/{shift_id}/all-day"),
        ("get", "/api/v1/shifts/{shift_id}/cancellations"),
        ("post", "/api/v1/webhooks/payments"),
        ("get", "/api/v1/menu/categories"),
        ("post", "/api/v1/menu/categories"),
        ("patch", "/api/v1/menu/categories/{category_id}"),
        ("put", "/api/v1/menu/categories/order"),
        ("put", "/api/v1/menu/categories/{category_id}/items/order"),
        ("get", "/api/v1/menu/items"),
        ("post", "/api/v1/menu/items"),
        ("get", "/api/v1/menu/items/{item_id}"),
        ("patch", "/api/v1/menu/items/{item_id}"),
        ("get", "/api/v1/menu/modifier-groups"),
        ("post", "/api/v1/menu/modifier-groups"),
        ("patch", "/api/v1/menu/modifier-groups/{group_id}"),
        ("get", "/api/v1/trucks/{truck_id}/menu"),
        ("put", "/api/v1/trucks/{truck_id}/menu"),
        ("post", "/api/v1/shifts/{shift_id}/specials"),
        ("get", "/api/v1/shifts/{shift_id}/capacity"),
        ("put", "/api/v1/shifts/{shift_id}/capacity"),
        ("get", "/api/v1/trucks/{truck_id}/capacity"),
        ("put", "/api/v1/trucks/{truck_id}/capacity"),
        ("get", "/api/v1/shifts/{shift_id}/summary"),
        ("post", "/api/v1/devices/heartbeat"),
        ("get", "/api/v1/me/trucks"),
        ("get", "/api/v1/locations"),
        ("get", "/api/v1/me/sessions"),
        ("delete", "/api/v1/me/sessions/{session_id}"),
        ("get", "/api/v1/staff"),
        ("get", "/api/v1/staff/{staff_id}"),
        ("put", "/api/v1/staff/{staff_id}/role"),
        ("put", "/api/v1/staff/{staff_id}/trucks/{truck_id}"),
        ("delete", "/api/v1/staff/{staff_id}/trucks/{truck_id}"),
        ("post", "/api/v1/staff/{staff_id}/deactivate"),
        ("post", "/api/v1/staff/{staff_id}/reactivate"),
        ("get", "/api/v1/staff/{staff_id}/sessions"),
        ("delete", "/api/v1/staff/{staff_id}/sessions/{session_id}"),
        ("post", "/api/v1/locations"),
        ("get", "/api/v1/locations/{location_id}"),
        ("patch", "/api/v1/locations/{location_id}"),
        ("post", "/api/v1/locations/{location_id}/deactivate"),
        ("post", "/api/v1/locations/{location_id}/reactivate"),
        ("get", "/api/v1/locations/{location_id}/hours"),
        ("put", "/api/v1/locations/{location_id}/hours"),
        ("get", "/api/v1/trucks"),
        ("post", "/api/v1/trucks"),
        ("get", "/api/v1/trucks/{truck_id}"),
        ("patch", "/api/v1/trucks/{truck_id}"),
        ("post", "/api/v1/trucks/{truck_id}/deactivate"),
        ("post", "/api/v1/trucks/{truck_id}/reactivate"),
        ("get", "/api/v1/trucks/{truck_id}/hours"),
        ("put", "/api/v1/trucks/{truck_id}/hours"),
        ("get", "/api/v1/audit"),
        ("get", "/api/v1/public/trucks"),
        ("get", "/api/v1/public/trucks/{truck_id}"),
        ("get", "/api/v1/public/trucks/{truck_id}/menu"),
        ("post", "/api/v1/public/trucks/{truck_id}/cart/quote"),
        ("post", "/api/v1/public/trucks/{truck_id}/checkout"),
        ("get", "/api/v1/track/{token}"),
        ("get", "/api/v1/track/{token}/events"),
        ("post", "/api/v1/track/{token}/review"),
        ("patch", "/api/v1/track/{token}/review"),
        ("get", "/api/v1/trucks/{truck_id}/reviews"),
        ("post", "/api/v1/reviews/{review_id}/hide"),
        # History and exports, outbound webhooks, and the customer's own account.
        ("get", "/api/v1/customer/loyalty"),
        ("get", "/api/v1/customer/me"),
        ("patch", "/api/v1/customer/me"),
        ("get", "/api/v1/customer/orders"),
        ("get", "/api/v1/customer/orders/{order_id}"),
        ("patch", "/api/v1/customer/orders/{order_id}/review"),
        ("post", "/api/v1/customer/orders/{order_id}/review"),
        ("post", "/api/v1/customer/sign-in"),
        ("post", "/api/v1/customer/sign-in/code"),
        ("post", "/api/v1/customer/sign-out"),
        ("get", "/api/v1/exports/{kind}"),
        ("get", "/api/v1/fleet/live"),
        ("get", "/api/v1/fleet/live/events"),
        ("get", "/api/v1/analytics/figures"),
        ("get", "/api/v1/analytics/top-items"),
        ("get", "/api/v1/orders"),
        ("get", "/api/v1/shifts"),
        ("post", "/api/v1/webhooks/deliveries/{delivery_id}/replay"),
        ("get", "/api/v1/webhooks/endpoints"),
        ("post", "/api/v1/webhooks/endpoints"),
        ("delete", "/api/v1/webhooks/endpoints/{endpoint_id}"),
        ("get", "/api/v1/webhooks/endpoints/{endpoint_id}"),
        ("patch", "/api/v1/webhooks/endpoints/{endpoint_id}"),
        ("get", "/api/v1/webhooks/endpoints/{endpoint_id}/deliveries"),
        ("post", "/api/v1/webhooks/endpoints/{endpoint_id}/replay"),
        ("post", "/api/v1/webhooks/endpoints/{endpoint_id}/secret"),
        # The GraphQL read side.
        ("post", "/api/v1/graphql"),
    }


async def test_every_operation_is_named_summarised_and_documents_its_problems(schema):
    ids = []
    for path, method, operation in operations(schema):
        where = f"{method.upper()} {path}"
        ids.append(operation.get("operationId"))
        assert re.fullmatch(r"[a-z][A-Za-z]+", operation.get("operationId", "")), where
        assert operation.get("summary"), where
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], where
                schema_ref = response["content"]["application/problem+json"]["schema"]
                assert schema_ref == {"$ref": "#/components/schemas/ProblemDetails"}, where
        if operation["operationId"] not in PUBLIC:
            assert operation["security"] == [{"BearerToken": []}], where
            assert "401" in operation["responses"], where
        else:
            assert "security" not in operation, where
    assert len(ids) == len(set(ids))


async def test_problem_details_are_described(schema):
    problem = schema["components"]["schemas"]["ProblemDetails"]

    assert set(problem["required"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "request_id",
    }
    assert {"errors", "retry_after", "problems"} <= problem["properties"].keys()


async def test_me_is_a_union_told_apart_by_kind(schema):
    me = schema["paths"]["/api/v1/me"]["get"]["responses"]["200"]["content"]["application/json"]
    refs = [option["$ref"].rsplit("/", 1)[1] for option in me["schema"]["oneOf"]]
    kinds = {
        name: schema["components"]["schemas"][name]["properties"]["kind"]["enum"] for name in refs
    }

    assert kinds == {"StaffMe": ["staff"], "DeviceMe": ["device"]}


async def test_every_protected_operation_refuses_a_request_without_credential(client, schema):
    for path, method, operation in operations(schema):
        if operation["operationId"] in PUBLIC:
            continue
        url = re.sub(r"\{[^}]+\}", str(uuid4()), path)
        response = await client.request(method.upper(), url, json={})
        assert response.status_code == 401, f"{method.upper()} {path}"


async def test_the_schema_is_browsable(client):
    response = await client.get("/schema")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
