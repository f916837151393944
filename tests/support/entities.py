"""Domain entities with every field filled in, for round-trip tests.

Times are whole UTC instants with microseconds, so any truncation or time zone slip
shows up as a difference.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import AccessToken, PrincipalKind
from fusionx.core.model.devices import Device, Platform
from fusionx.core.model.menu import MenuCategory, MenuItem
from fusionx.core.model.orders import Order, OrderChannel, OrderLine
from fusionx.core.model.shifts import Shift, ShiftState
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.model.stock import StockMovement, StockReason
from fusionx.core.model.tickets import Ticket, TicketMove, TicketState, TicketTransition
from fusionx.core.model.trucks import Location, Truck

T0 = datetime(2026, 1, 5, 12, 0, 0, 123456, tzinfo=UTC)
_ids = Uuid7Generator()


def new_id() -> UUID:
    return _ids.new_id()


def a_truck(name: str = "Taco Tuesday", **changes: object) -> Truck:
    return msgspec.structs.replace(
        Truck(id=new_id(), name=name, created_at=T0, active=True),
        **changes,
    )


def a_location(name: str = "Canal Street", **changes: object) -> Location:
    return msgspec.structs.replace(
        Location(
            id=new_id(),
            name=name,
            timezone="Europe/Paris",
            created_at=T0,
            address="12 quai de Valmy, Paris",
            latitude=48.871234,
            longitude=2.363456,
            active=True,
        ),
        **changes,
    )


def a_staff_member(email: str = "Ana.Lopez@Example.io", **changes: object) -> StaffMember:
    return msgspec.structs.replace(
        StaffMember(
            id=new_id(),
            email=email,
            name="Ana López",
            role=Role.MANAGER,
            password_hash="fake-sha256$0123abcd",
            created_at=T0,
            phone="+33 6 12 34 56 78",
            truck_ids=frozenset(),
            active=True,
        ),
        **changes,
    )


def a_device(truck_id: UUID, registered_by: UUID, **changes: object) -> Device:
    return msgspec.structs.replace(
        Device(
            id=new_id(),
            truck_id=truck_id,
            label="Pass tablet",
            platform=Platform.IPADOS,
            app_version="1.4.2",
            os_version="18.2",
            registered_by=registered_by,
            created_at=T0,
            last_seen_at=T0 + timedelta(minutes=5),
            revoked_at=None,
        ),
        **changes,
    )


def a_token(subject_id: UUID, token_hash: str = "ab" * 32, **changes: object) -> AccessToken:
    return msgspec.structs.replace(
        AccessToken(
            id=new_id(),
            token_hash=token_hash,
            kind=PrincipalKind.STAFF,
            subject_id=subject_id,
            created_at=T0,
            expires_at=T0 + timedelta(hours=12),
            revoked_at=None,
        ),
        **changes,
    )


def an_actor(kind: PrincipalKind = PrincipalKind.STAFF) -> Actor:
    return Actor(kind=kind, id=new_id())


def a_shift(truck_id: UUID, location_id: UUID, **changes: object) -> Shift:
    return msgspec.structs.replace(
        Shift(
            id=new_id(),
            truck_id=truck_id,
            location_id=location_id,
            state=ShiftState.OPEN,
            opened_at=T0,
            opened_by=an_actor(),
            closed_at=None,
        ),
        **changes,
    )


def a_category(name: str = "Mains", **changes: object) -> MenuCategory:
    return msgspec.structs.replace(
        MenuCategory(id=new_id(), name=name, display_order=1, created_at=T0, active=True),
        **changes,
    )


def a_menu_item(category_id: UUID, name: str = "Carnitas taco", **changes: object) -> MenuItem:
    return msgspec.structs.replace(
        MenuItem(
            id=new_id(),
            category_id=category_id,
            name=name,
            price_cents=450,
            display_order=1,
            created_at=T0,
            description="Slow-cooked pork, salsa verde",
            active=True,
        ),
        **changes,
    )


def a_movement(
    shift_id: UUID,
    item_id: UUID,
    delta: int,
    reason: StockReason = StockReason.RESTOCK,
    **changes: object,
) -> StockMovement:
    return msgspec.structs.replace(
        StockMovement(
            id=new_id(),
            shift_id=shift_id,
            item_id=item_id,
            delta=delta,
            on_hand_after=0,
            reason=reason,
            actor=an_actor(),
            at=T0,
            order_id=None,
            note=None,
        ),
        **changes,
    )


def an_order(shift_id: UUID, items: list[MenuItem], number: int = 1, **changes: object) -> Order:
    lines = tuple(
        OrderLine(
            item_id=item.id,
            name=item.name,
            unit_price_cents=item.price_cents,
            quantity=position + 1,
            notes="no onions" if position == 0 else None,
        )
        for position, item in enumerate(items)
    )
    return msgspec.structs.replace(
        Order(
            id=new_id(),
            shift_id=shift_id,
            number=number,
            channel=OrderChannel.WINDOW,
            lines=lines,
            total_cents=sum(line.total_cents for line in lines),
            created_at=T0,
            created_by=an_actor(PrincipalKind.DEVICE),
            customer_name="Sam",
            customer_phone="+44 20 7946 0000",
            customer_email="sam@example.org",
        ),
        **changes,
    )


def a_ticket(order: Order, **changes: object) -> Ticket:
    return msgspec.structs.replace(
        Ticket(
            id=new_id(),
            order_id=order.id,
            shift_id=order.shift_id,
            number=order.number,
            state=TicketState.NEW,
            version=1,
            created_at=order.created_at,
            updated_at=order.created_at,
        ),
        **changes,
    )


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
