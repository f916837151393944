"""Domain values that vary: every field a test does not name is drawn, within the rules.

Each factory draws valid values (emails the domain accepts, names within their limits,
non-negative cents, aware UTC times, ids that agree with each other) so a test that
builds one says only what its point is. Draws are seeded per test (``tests/conftest.py``):
a failure replays with the same values.

    truck = TruckFactory.build()
    order = OrderFactory.build(shift_id=shift.id)      # lines and total agree
    ticket = TicketFactory.for_order(order)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar
from uuid import UUID

import msgspec
from polyfactory import Use
from polyfactory.factories.msgspec_factory import MsgspecFactory

from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.devices import Device
from fusionx.core.model.menu import MenuCategory, MenuItem
from fusionx.core.model.orders import Order, OrderChannel, OrderLine, OrderState
from fusionx.core.model.principals import (
    CustomerPrincipal,
    DevicePrincipal,
    GuestPrincipal,
    StaffPrincipal,
)
from fusionx.core.model.shifts import Shift, ShiftState
from fusionx.core.model.staff import StaffMember
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.model.trucks import Location, Truck

T = TypeVar("T", bound=msgspec.Struct)

# A year either side of this instant: far from DST edges' surprises, and never naive.
EPOCH = datetime(2026, 6, 1, tzinfo=UTC)
TIMEZONES = ("Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC")


class DomainFactory(MsgspecFactory[T], Generic[T]):
    """Base of the domain factories: aware UTC times, no None where a value is optional
    unless the factory says so (None is the case a test should name)."""

    __is_base_factory__ = True
    __allow_none_optionals__ = False
    __randomize_collection_length__ = True
    __min_collection_length__ = 1
    __max_collection_length__ = 3

    @classmethod
    def get_provider_map(cls) -> dict[Any, Any]:
        providers: dict[Any, Any] = super().get_provider_map()
        providers[datetime] = cls.instant
        return providers

    @classmethod
    def instant(cls) -> datetime:
        """An aware UTC time with microseconds, within a year of ``EPOCH``."""
        seconds = cls.__random__.uniform(-365 * 86400, 365 * 86400)
        return EPOCH + timedelta(seconds=round(seconds, 6))

    @classmethod
    def words(cls, count: int = 2, max_length: int = 100) -> str:
        return " ".join(cls.__faker__.words(count)).title()[:max_length].strip() or "X"


class ActorFactory(DomainFactory[Actor]):
    __set_as_default_factory_for_type__ = True
    kind = Use(lambda: ActorFactory.__random__.choice([PrincipalKind.STAFF, PrincipalKind.DEVICE]))


class TruckFactory(DomainFactory[Truck]):
    name = Use(lambda: f"{TruckFactory.__faker__.first_name()}'s {TruckFactory.words(1)}"[:100])
    active = True


class LocationFactory(DomainFactory[Location]):
    name = Use(lambda: LocationFactory.__faker__.street_name()[:200])
    timezone = Use(lambda: LocationFactory.__random__.choice(TIMEZONES))
    address = Use(lambda: LocationFactory.__faker__.address().replace("\n", ", ")[:500])
    latitude = Use(lambda: round(LocationFactory.__random__.uniform(-90, 90), 6))
    longitude = Use(lambda: round(LocationFactory.__random__.uniform(-180, 180), 6))
    active = True


class StaffMemberFactory(DomainFactory[StaffMember]):
    email = Use(DomainFactory.__faker__.unique.email)
    name = Use(lambda: StaffMemberFactory.__faker__.name()[:200])
    password_hash = Use(lambda: f"fake-sha256${StaffMemberFactory.__faker__.sha256()}")
    phone = Use(lambda: f"+44 7{StaffMemberFactory.__random__.randrange(10**8, 10**9)}")
    truck_ids = frozenset[UUID]()
    active = True
    locale = Use(lambda: StaffMemberFactory.__random__.choice([None, "en", "es", "fr"]))


class DeviceFactory(DomainFactory[Device]):
    label = Use(lambda: f"{DeviceFactory.words(1, 40)} screen")
    app_version = Use(lambda: DeviceFactory.__faker__.numerify("#.#.#"))
    os_version = Use(lambda: DeviceFactory.__faker__.numerify("##.#"))
    last_event_seq = Use(lambda: DeviceFactory.__random__.randrange(0, 10_000))
    battery_percent = Use(lambda: DeviceFactory.__random__.randrange(0, 101))
    queue_depth = Use(lambda: DeviceFactory.__random__.randrange(0, 50))
    # A working device: tests about revoked or stale ones say so.
    revoked_at = None
    stale_since = None


class MenuCategoryFactory(DomainFactory[MenuCategory]):
    name = Use(lambda: MenuCategoryFactory.words(1, 100))
    display_order = Use(lambda: MenuCategoryFactory.__random__.randrange(0, 100))
    active = True
    availability = ()
    truck_id = None  # the fleet catalogue; a truck's own entries name their truck


class MenuItemFactory(DomainFactory[MenuItem]):
    name = Use(lambda: MenuItemFactory.words(2, 100))
    price_cents = Use(lambda: MenuItemFactory.__random__.randrange(0, 5_000))
    display_order = Use(lambda: MenuItemFactory.__random__.randrange(0, 100))
    description = Use(lambda: MenuItemFactory.__faker__.sentence()[:1000])
    tags = Use(lambda: tuple(sorted(set(MenuItemFactory.__faker__.words(2)))))
    image_url = None
    active = True
    modifier_group_ids = ()
    availability = ()
    truck_id = None
    shift_id = None


class OrderLineFactory(DomainFactory[OrderLine]):
    __set_as_default_factory_for_type__ = True
    name = Use(lambda: OrderLineFactory.words(2, 100))
    unit_price_cents = Use(lambda: OrderLineFactory.__random__.randrange(0, 5_000))
    quantity = Use(lambda: OrderLineFactory.__random__.randrange(1, 10))
    notes = None
    modifiers = ()


class OrderFactory(DomainFactory[Order]):
    """A window order, placed and paid at the window: its total is its lines' sum."""

    number = Use(lambda: OrderFactory.__random__.randrange(1, 1000))
    channel = OrderChannel.WINDOW
    state = OrderState.PLACED
    lines = Use(lambda: tuple(OrderLineFactory.batch(OrderFactory.__random__.randrange(1, 4))))
    customer_name = Use(lambda: OrderFactory.__faker__.first_name()[:100])
    customer_phone = Use(lambda: f"+44 20 {OrderFactory.__random__.randrange(1000, 9999)} 0000")
    customer_email = Use(DomainFactory.__faker__.email)
    pickup_at = None
    promised_ready_at = None

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Order:
        order = super().build(*args, **kwargs)
        if "total_cents" in kwargs:
            return order
        return msgspec.structs.replace(
            order, total_cents=sum(line.total_cents for line in order.lines)
        )


class ShiftFactory(DomainFactory[Shift]):
    state = ShiftState.OPEN
    closed_at = None


class TicketFactory(DomainFactory[Ticket]):
    state = TicketState.NEW
    version = 1
    held_from = None
    fire_at = None
    # A NEW ticket has not been started nor made: Ticket.move stamps these.
    prep_at = None
    ready_at = None

    @classmethod
    def for_order(cls, order: Order, **kwargs: Any) -> Ticket:
        """The order's ticket: its ids, number and times agree with the order."""
        values = {
            "order_id": order.id,
            "shift_id": order.shift_id,
            "number": order.number,
            "created_at": order.created_at,
            "updated_at": order.created_at,
        }
        return cls.build(**(values | kwargs))


class StaffPrincipalFactory(DomainFactory[StaffPrincipal]):
    staff = Use(StaffMemberFactory.build)
    token_expires_at = None


class DevicePrincipalFactory(DomainFactory[DevicePrincipal]):
    device = Use(DeviceFactory.build)
    token_expires_at = None


class CustomerPrincipalFactory(DomainFactory[CustomerPrincipal]):
    token_expires_at = None


class GuestPrincipalFactory(DomainFactory[GuestPrincipal]):
    token_expires_at = None


DOMAIN_FACTORIES: tuple[type[DomainFactory[Any]], ...] = (
    TruckFactory,
    LocationFactory,
    StaffMemberFactory,
    DeviceFactory,
    MenuCategoryFactory,
    MenuItemFactory,
    OrderLineFactory,
    OrderFactory,
    ShiftFactory,
    TicketFactory,
    StaffPrincipalFactory,
    DevicePrincipalFactory,
    CustomerPrincipalFactory,
    GuestPrincipalFactory,
)


def seed_factories(seed: int) -> None:
    """One seed for every draw: the factories share one ``Random`` and one Faker."""
    DomainFactory.seed_random(seed)
    DomainFactory.__faker__.unique.clear()
