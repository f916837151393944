"""Customers are refused by every use case of the fleet's staff and kitchen.

Generated, not hand-picked: every public method of every use case that takes a
``principal`` is called with a signed-in customer and with a guest holding the tracking
token of an order of the very truck concerned, on real ids of a truck with an open shift,
an order, a ticket and a device. Each must be refused with exactly the error a caller
without rights gets: a crew member of another truck (404 on a truck's resources), or,
where that crew member may go on, a device of another truck (403 on a staff check).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable, Iterator
from typing import Any, get_args, get_type_hints
from uuid import UUID, uuid4

import msgspec
import pytest

import fusionx.core.use_cases
from fusionx.core.errors import DomainError, NotFound, PermissionDenied
from fusionx.core.model.actors import actor_of
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.capacity import CapacityLimits
from fusionx.core.model.credentials import AccessToken, PrincipalKind
from fusionx.core.model.devices import Heartbeat
from fusionx.core.model.history import DayRange
from fusionx.core.model.orders import OrderChannel
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import (
    DevicePrincipal,
    Principal,
)
from fusionx.core.model.refunds import Refund, RefundStatus
from fusionx.core.model.staff import Role
from fusionx.core.model.stock import StockReason
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.webhooks import DeliveryFilter
from fusionx.core.use_cases.commands.add_modifier_group import (
    AddModifierGroup,
    AddModifierGroupRequest,
    OptionRequest,
)
from fusionx.core.use_cases.commands.adjust_stock import AdjustStockRequest
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.commands.register_device import RegisterDevice
from fusionx.core.use_cases.commands.register_push_token import RegisterPushTokenRequest
from fusionx.core.use_cases.commands.register_webhook_endpoint import (
    RegisterWebhookEndpoint,
    RegisterWebhookEndpointRequest,
)
from fusionx.core.use_cases.commands.set_capacity import SetCapacityRequest
from fusionx.core.use_cases.commands.transition_ticket import TransitionRequest
from fusionx.core.use_cases.queries.export_records import ExportRequest
from fusionx.core.use_cases.queries.list_order_history import OrderHistoryRequest
from fusionx.core.use_cases.queries.list_shift_history import ShiftHistoryRequest
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import (
    RegisterDeviceRequestFactory,
    as_principal,
    make_staff,
    make_truck,
    open_shift_world,
)
from tests.support.factories import (
    CustomerPrincipalFactory,
    DomainFactory,
    GuestPrincipalFactory,
)

# Operations any authenticated caller may do to their own credential.
OPEN_TO_EVERY_PRINCIPAL = {"LogOut.execute"}
# Operations on a resource this world does not hold: nobody gets further than 404.
NOTHING_TO_REACH = {"ListTruckNotifications.one", "HideReview.execute"}  # no review here
# The customer's own operations on their order: customers are who they are for; the
# fleet is refused (403) and another customer's order is not found (404), as
# tests/core/test_access.py (require_order_owner) and tests/http/test_tracking.py show.
FOR_CUSTOMERS = {
    "ViewTrackedOrder.execute",
    "FollowTrackedOrder.open",
    "ReviewOrder.execute",
    "ChangeReview.execute",
}
DRAWS = 200


def _operations() -> Iterator[tuple[str, type, str]]:
    package = fusionx.core.use_cases
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for cls_name, cls in vars(module).items():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            for name, method in vars(cls).items():
                callable_async = inspect.iscoroutinefunction(method) or inspect.isasyncgenfunction(
                    method
                )
                if name.startswith("_") or not callable_async:
                    continue
                if "principal" in inspect.signature(method).parameters:
                    yield f"{cls_name}.{name}", cls, name


OPERATIONS = sorted(_operations(), key=lambda op: op[0])


class World(msgspec.Struct, kw_only=True):
    ids: dict[str, UUID]
    rightful: tuple[Principal, ...]  # the truck's owner and its own device
    outsider_crew: Principal
    outsider_device: Principal
    customer: Principal
    guest: Principal


async def _world(adapters: Adapters) -> World:
    shift_world = await open_shift_world(adapters)
    owner = as_principal(await make_staff(adapters, role=Role.OWNER))
    # A webhook endpoint for new orders, so that the order below gets a delivery.
    hook = RegisterWebhookEndpointRequest(
        url="https://93.184.215.14/in", event_types=["order.created"]
    )
    registered = await RegisterWebhookEndpoint(
        adapters.uow(), adapters.clock, adapters.ids, adapters.webhook_resolver,
        adapters.webhook_policy,
    ).execute(owner, hook)  # fmt: skip
    placed = await PlaceOrder(adapters.uow(), adapters.clock, adapters.ids).execute(
        owner,
        PlaceOrderRequest(
            shift_id=shift_world.shift.id,
            lines=(OrderLineRequest(item_id=shift_world.items[0].id, quantity=1),),
        ),
    )
    device = await RegisterDevice(adapters.uow(), adapters.clock, adapters.ids).execute(
        owner, RegisterDeviceRequestFactory.build(truck_id=shift_world.truck.id)
    )
    group = await AddModifierGroup(adapters.uow(), adapters.clock, adapters.ids).execute(
        owner,
        AddModifierGroupRequest(
            name="Salsa", options=(OptionRequest(name="Verde"),), truck_id=shift_world.truck.id
        ),
    )
    # One of the owner's sessions: what the session operations act on.
    session = AccessToken(
        id=adapters.ids.new_id(),
        token_hash="0" * 64,
        kind=PrincipalKind.STAFF,
        subject_id=owner.staff.id,
        created_at=adapters.clock.now(),
    )
    async with adapters.uow() as uow:
        await uow.tokens.add(session)
        await uow.commit()
    other_truck = await make_truck(adapters, name="Other truck")
    crew = await make_staff(adapters, role=Role.CREW, trucks=[other_truck])
    other_device = await RegisterDevice(adapters.uow(), adapters.clock, adapters.ids).execute(
        owner, RegisterDeviceRequestFactory.build(truck_id=other_truck.id)
    )
    pending = Refund(
        id=adapters.ids.new_id(),
        order_id=placed.order.id,
        shift_id=shift_world.shift.id,
        reason=CancelReason.DUPLICATE,
        amount_cents=1,
        lines=(),
        actor=actor_of(owner),
        at=adapters.clock.now(),
        status=RefundStatus.PENDING,
    )
    async with adapters.uow() as uow:
        await uow.refunds.add(pending)
        await uow.commit()
    async with adapters.reader() as uow:
        endpoint_id = registered.endpoint.id
        [delivery] = (
            await uow.webhook_deliveries.listing(endpoint_id, DeliveryFilter(), PageRequest())
        ).items
    ids = {
        "endpoint_id": endpoint_id,
        "delivery_id": delivery.id,
        "refund_id": pending.id,
        "truck_id": shift_world.truck.id,
        "shift_id": shift_world.shift.id,
        "order_id": placed.order.id,
        "ticket_id": placed.ticket.id,
        "item_id": shift_world.items[0].id,
        "category_id": shift_world.items[0].category_id,
        "device_id": device.device.id,
        "location_id": shift_world.shift.location_id,
        "group_id": group.id,
        "staff_id": owner.staff.id,
        "session_id": session.id,
    }
    return World(
        ids=ids,
        rightful=(owner, DevicePrincipal(device=device.device, token_id=uuid4())),
        outsider_crew=as_principal(crew),
        outsider_device=DevicePrincipal(device=other_device.device, token_id=uuid4()),
        customer=CustomerPrincipalFactory.build(),
        guest=GuestPrincipalFactory.build(order_id=placed.order.id),
    )


_ALIASES = {
    "gateway": "refunds",
    "stale_after": "device_stale_after",
    "resolver": "webhook_resolver",
    "policy": "webhook_policy",
}


def _build(cls: type, adapters: Adapters) -> Any:
    """The use case wired to in-memory adapters, as the composition root wires it."""
    values = {}
    hints = typing.get_type_hints(cls.__init__)
    for p in inspect.signature(cls).parameters.values():
        used = hints.get(p.name)
        if inspect.isclass(used) and used.__module__.startswith("fusionx.core.use_cases."):
            values[p.name] = _build(used, adapters)  # a use case composed of others
        elif p.name == "uow":
            values["uow"] = adapters.uow if "Factory" in str(p.annotation) else adapters.uow()
        elif p.name == "units":
            values["units"] = adapters.uow
        elif hasattr(adapters, _ALIASES.get(p.name, p.name)):
            values[p.name] = getattr(adapters, _ALIASES.get(p.name, p.name))
    return cls(**values)


# Requests whose random draws are seldom well formed: the rest of each is drawn.
WELL_FORMED: dict[type, dict[str, Any]] = {
    AdjustStockRequest: {"reason": StockReason.RESTOCK, "delta": 1, "count": None},
    PlaceOrderRequest: {
        "channel": OrderChannel.WINDOW,
        "pickup_at": None,
        "customer_phone": None,
        "customer_email": None,
    },
    RegisterPushTokenRequest: {"token": "ab" * 32, "platform": "ios"},
    SetCapacityRequest: {"limits": CapacityLimits()},
    DeliveryFilter: {"since": None, "until": None},
    ExportRequest: {"kind": "orders", "days": DayRange()},
    OrderHistoryRequest: {"days": DayRange(), "after": None, "limit": 50, "q": None},
    ShiftHistoryRequest: {"days": DayRange(), "after": None, "limit": 50},
    TransitionRequest: {
        "target": TicketState.IN_PREP,
        "expected_version": 1,
        "fire_at": None,
        "reason": None,
        "cancel_reason": None,
    },
}


def _argument(kind: Any, name: str, ids: dict[str, UUID]) -> Any:  # noqa: PLR0911, PLR0912
    if name in ids:
        return ids[name]
    if kind is PageRequest:
        return PageRequest()
    if inspect.isclass(kind) and issubclass(kind, enum.Enum):
        return next(iter(kind))  # the first member: for a role, what the owner holds
    if kind is Heartbeat:
        return Heartbeat(app_version="1", os_version="1", last_event_seq=0)
    if inspect.isclass(kind) and issubclass(kind, msgspec.Struct):
        fields = {f.name for f in msgspec.structs.fields(kind)}
        known = {key: value for key, value in ids.items() if key in fields}
        if "page" in fields:
            known["page"] = PageRequest()
        if "ticket_ids" in fields:
            known["ticket_ids"] = (ids["ticket_id"],)
        if "ordered_ids" in fields:
            known["ordered_ids"] = (ids["item_id"],)
        if kind is PlaceOrderRequest:
            known["lines"] = (OrderLineRequest(item_id=ids["item_id"], quantity=1),)
        return DomainFactory.create_factory(kind).build(**(known | WELL_FORMED.get(kind, {})))
    if name == "states":
        return list(TicketState)
    if name == "held":
        return lambda _seq: False
    if "Sequence" in str(kind) or "Iterable" in str(kind):
        (element,) = get_args(kind)
        return [ids["item_id"] if element is UUID else _argument(element, f"{name}[]", ids)]
    if kind is UUID or "UUID" in str(kind):
        return uuid4()  # an id no truck of the caller's has
    raise NotImplementedError(f"no test value for {name}: {kind}")


Outcome = tuple[type, str | None] | None


def _arguments(bound: Callable[..., Any], ids: dict[str, UUID]) -> dict[str, Any]:
    hints = get_type_hints(bound)
    return {
        name: _argument(hints.get(name), name, ids)
        for name, p in inspect.signature(bound).parameters.items()
        if name != "principal" and p.default is inspect.Parameter.empty
    }


async def _outcome(
    bound: Callable[..., Any], principal: Principal, args: dict[str, Any]
) -> Outcome:
    try:
        if inspect.isasyncgenfunction(bound):  # a stream: refused before its first item
            with contextlib.suppress(TimeoutError):  # nothing to stream yet: not refused
                async with asyncio.timeout(1):
                    async for _ in bound(principal, **args):
                        break
        else:
            await bound(principal, **args)
    except DomainError as error:
        return type(error), getattr(error, "resource", None)
    return None


def _refused(outcome: tuple[type, str | None] | None) -> bool:
    return outcome is not None and outcome[0] in (NotFound, PermissionDenied)


def test_every_use_case_taking_a_principal_is_covered() -> None:
    assert len(OPERATIONS) > 40  # the discovery found the use cases, wherever they live


@pytest.mark.parametrize(("name", "cls", "method"), OPERATIONS, ids=[op[0] for op in OPERATIONS])
async def test_customers_are_refused_as_a_caller_without_rights_is(
    adapters: Adapters, name: str, cls: type, method: str
) -> None:
    world = await _world(adapters)
    if name in OPEN_TO_EVERY_PRINCIPAL:
        pytest.skip("open to every principal: it acts on the caller's own credential")
    if name in FOR_CUSTOMERS:
        pytest.skip("the customer's own order: refused to the fleet, tested on its own")
    bound = getattr(_build(cls, adapters), method)
    # Draw requests until one is well formed: shape checks rightly come before access.
    for _ in range(DRAWS):
        args = _arguments(bound, world.ids)
        reference = await _outcome(bound, world.outsider_crew, args)
        if not _refused(reference):
            reference = await _outcome(bound, world.outsider_device, args)
        if reference is None:
            # Every operator may do this: customers get the 403 of a staff check.
            reference = (PermissionDenied, None)
        if _refused(reference):
            break
    assert _refused(reference), f"{name}: never well formed, last outcome {reference}"

    assert await _outcome(bound, world.customer, args) == reference
    assert await _outcome(bound, world.guest, args) == reference
    # The same call goes through for the truck's owner or its device: the ids are real,
    # and what refuses the others is who they are.
    if name not in NOTHING_TO_REACH:
        rightful = [await _outcome(bound, principal, args) for principal in world.rightful]
        assert not all(_refused(outcome) for outcome in rightful), rightful
