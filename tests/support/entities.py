"""Domain entities with every field filled in, for round-trip tests.

What a test names is what it gets; every other field is drawn by the factories of
``tests.support.factories``: valid, varied, seeded per test. Times are UTC instants
with microseconds, so any truncation or time zone slip shows up as a difference.
``T0`` stays for tests that compare times with each other.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec

from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import AccessToken, PrincipalKind
from fusionx.core.model.devices import Device
from fusionx.core.model.menu import MenuCategory, MenuItem
from fusionx.core.model.orders import Order
from fusionx.core.model.shifts import Shift
from fusionx.core.model.staff import StaffMember
from fusionx.core.model.stock import StockMovement, StockReason
from fusionx.core.model.tickets import Ticket, TicketMove, TicketState, TicketTransition
from fusionx.core.model.trucks import Location, Truck
from tests.support.factories import (
    ActorFactory,
    DeviceFactory,
    LocationFactory,
    MenuCategoryFactory,
    MenuItemFactory,
    OrderFactory,
    OrderLineFactory,
    ShiftFactory,
    StaffMemberFactory,
    TicketFactory,
    TruckFactory,
)

T0 = datetime(2026, 1, 5, 12, 0, 0, 123456, tzinfo=UTC)
_ids = Uuid7Generator()


def new_id() -> UUID:
    return _ids.new_id()


def _named(**values: Any) -> dict[str, Any]:
    """The values a caller gave, without the ones it left to the factory."""
    return {field: value for field, value in values.items() if value is not None}


def a_truck(name: str | None = None, **changes: Any) -> Truck:
    return TruckFactory.build(**({"id": new_id()} | _named(name=name) | changes))


def a_location(name: str | None = None, **changes: Any) -> Location:
    return LocationFactory.build(**({"id": new_id()} | _named(name=name) | changes))


def a_staff_member(email: str | None = None, **changes: Any) -> StaffMember:
    return StaffMemberFactory.build(**({"id": new_id()} | _named(email=email) | changes))


def a_device(truck_id: UUID, registered_by: UUID, **changes: Any) -> Device:
    values = {"id": new_id(), "truck_id": truck_id, "registered_by": registered_by}
    return DeviceFactory.build(**(values | changes))


def a_token(subject_id: UUID, token_hash: str = "ab" * 32, **changes: Any) -> AccessToken:
    values = {
        "id": new_id(),
        "token_hash": token_hash,
        "kind": PrincipalKind.STAFF,
        "subject_id": subject_id,
        "created_at": T0,
        "expires_at": T0 + timedelta(hours=12),
        "revoked_at": None,
    }
    return AccessToken(**(values | changes))


def an_actor(kind: PrincipalKind = PrincipalKind.STAFF) -> Actor:
    return ActorFactory.build(kind=kind, id=new_id())


def a_shift(truck_id: UUID, location_id: UUID, **changes: Any) -> Shift:
    values = {"id": new_id(), "truck_id": truck_id, "location_id": location_id}
    return ShiftFactory.build(**(values | changes))


def a_category(name: str | None = None, **changes: Any) -> MenuCategory:
    return MenuCategoryFactory.build(**({"id": new_id()} | _named(name=name) | changes))


def a_menu_item(category_id: UUID, name: str | None = None, **changes: Any) -> MenuItem:
    values = {"id": new_id(), "category_id": category_id} | _named(name=name)
    return MenuItemFactory.build(**(values | changes))


def a_movement(
    shift_id: UUID,
    item_id: UUID,
    delta: int,
    reason: StockReason = StockReason.RESTOCK,
    **changes: Any,
) -> StockMovement:
    values = {
        "id": new_id(),
        "shift_id": shift_id,
        "item_id": item_id,
        "delta": delta,
        "on_hand_after": 0,
        "reason": reason,
        "actor": an_actor(),
        "at": T0,
        "order_id": None,
        "note": None,
    }
    return StockMovement(**(values | changes))


def an_order(shift_id: UUID, items: list[MenuItem], number: int = 1, **changes: Any) -> Order:
    """A line per item at its price, item i in quantity i + 1 (tests count on it), the
    first with a note; the customer and the rest are drawn."""
    lines = tuple(
        OrderLineFactory.build(
            item_id=item.id,
            name=item.name,
            unit_price_cents=item.price_cents,
            quantity=position + 1,
            notes="no onions" if position == 0 else None,
        )
        for position, item in enumerate(items)
    )
    values = {
        "id": new_id(),
        "shift_id": shift_id,
        "number": number,
        "lines": lines,
        "created_at": T0,
        "created_by": an_actor(PrincipalKind.DEVICE),
    }
    return OrderFactory.build(**(values | changes))


def a_ticket(order: Order, **changes: Any) -> Ticket:
    return TicketFactory.for_order(order, **({"id": new_id()} | changes))


def a_move(
    ticket: Ticket,
    target: TicketState = TicketState.IN_PREP,
    at: datetime = T0,
    *,
    actor: Actor | None = None,
    reason: str | None = None,
    **changes: object,
) -> TicketMove:
    """A move as a store receives it, built by hand: a store keeps whatever it is given,
    so its tests need not follow the state table (``Ticket.move`` is tested on its own).
    ``changes`` set more of the ticket after (``held_from``, ``fire_at``, stamped times)."""
    after = msgspec.structs.replace(
        ticket,
        **{
            "state": target,
            "version": ticket.version + 1,
            "updated_at": at,
            "held_from": None,
            "fire_at": None,
            **changes,
        },
    )
    transition = TicketTransition(
        ticket_id=ticket.id,
        source=ticket.state,
        target=target,
        version=after.version,
        at=at,
        actor=actor or an_actor(),
        reason=reason,
    )
    return TicketMove(before=ticket, after=after, transition=transition)
