"""The domain factories draw values the domain itself accepts, whatever the seed."""

from __future__ import annotations

from datetime import UTC

import msgspec
import pytest

from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.rules.menu_values import require_price
from fusionx.core.rules.validation import (
    require_coordinates,
    require_email,
    require_phone,
    require_text,
    require_timezone,
)
from fusionx.core.use_cases.commands.register_device import RegisterDevice
from tests.factories import RegisterDeviceRequestFactory, as_principal, make_staff, make_truck
from tests.support.factories import (
    DOMAIN_FACTORIES,
    CustomerPrincipalFactory,
    DeviceFactory,
    DevicePrincipalFactory,
    GuestPrincipalFactory,
    LocationFactory,
    MenuCategoryFactory,
    MenuItemFactory,
    OrderFactory,
    StaffMemberFactory,
    StaffPrincipalFactory,
    TicketFactory,
    TruckFactory,
    seed_factories,
)

DRAWS = 100


def aware_utc_times(value: object) -> None:
    """Every datetime anywhere in the value is aware and in UTC."""
    for field in msgspec.structs.fields(type(value)):  # type: ignore[arg-type]
        inner = getattr(value, field.name)
        if isinstance(inner, msgspec.Struct):
            aware_utc_times(inner)
        elif hasattr(inner, "tzinfo"):
            assert inner.tzinfo is UTC, field.name


@pytest.mark.parametrize("factory", DOMAIN_FACTORIES, ids=lambda f: f.__name__)
def test_every_draw_round_trips_the_domain_type_with_aware_utc_times(factory: type) -> None:
    for _ in range(DRAWS):
        value = factory.build()
        assert msgspec.convert(msgspec.to_builtins(value), type(value)) == value
        aware_utc_times(value)


def test_draws_vary_and_replay_with_the_same_seed() -> None:
    seed_factories(7)
    first = [TruckFactory.build() for _ in range(20)]
    seed_factories(7)
    assert [TruckFactory.build() for _ in range(20)] == first
    assert len({truck.name for truck in first}) > 10
    assert len({truck.id for truck in first}) == 20


def test_people_places_and_devices_pass_the_creation_rules() -> None:
    emails = set()
    for _ in range(DRAWS):
        member = StaffMemberFactory.build()
        require_email(member.email)
        require_text("name", member.name)
        require_phone(member.phone or "")
        emails.add(member.email.lower())

        truck = TruckFactory.build()
        require_text("name", truck.name, max_length=100)

        location = LocationFactory.build()
        require_text("name", location.name)
        require_timezone(location.timezone)
        require_text("address", location.address or "", max_length=500)
        require_coordinates(location.latitude, location.longitude)

        device = DeviceFactory.build()
        require_text("label", device.label, max_length=100)
        require_text("app_version", device.app_version, max_length=50)
        require_text("os_version", device.os_version, max_length=50)
        assert 0 <= (device.battery_percent or 0) <= 100
    assert len(emails) == DRAWS  # staff emails are unique, as the database demands


def test_menu_entries_pass_the_menu_rules() -> None:
    for _ in range(DRAWS):
        category = MenuCategoryFactory.build()
        require_text("name", category.name, max_length=100)
        item = MenuItemFactory.build(category_id=category.id)
        require_text("name", item.name, max_length=100)
        require_price("price_cents", item.price_cents)
        assert item.tags == tuple(sorted(set(item.tags)))


def test_orders_add_up_and_their_tickets_agree_with_them() -> None:
    for _ in range(DRAWS):
        order = OrderFactory.build()
        assert order.lines
        assert all(line.quantity >= 1 and line.unit_price_cents >= 0 for line in order.lines)
        assert order.total_cents == sum(line.total_cents for line in order.lines)
        require_email(order.customer_email or "", "customer_email")
        require_phone(order.customer_phone or "", "customer_phone")
        ticket = TicketFactory.for_order(order)
        assert (ticket.order_id, ticket.shift_id, ticket.number) == (
            order.id,
            order.shift_id,
            order.number,
        )
        assert ticket.created_at == order.created_at


@pytest.mark.parametrize(
    "factory",
    [
        StaffPrincipalFactory,
        DevicePrincipalFactory,
        CustomerPrincipalFactory,
        GuestPrincipalFactory,
    ],
    ids=lambda f: f.__name__,
)
def test_principals_of_every_kind_decode_as_the_principal_union(factory: type) -> None:
    for _ in range(20):
        principal = factory.build()
        assert msgspec.convert(msgspec.to_builtins(principal), Principal) == principal


async def test_device_registrations_drawn_are_accepted(adapters) -> None:
    owner = as_principal(await make_staff(adapters, role=Role.OWNER))
    truck = await make_truck(adapters)
    register = RegisterDevice(adapters.uow(), adapters.clock, adapters.ids)
    for _ in range(20):
        request = RegisterDeviceRequestFactory.build(truck_id=truck.id)
        registered = await register.execute(owner, request)
        assert (registered.device.label, registered.device.platform) == (
            request.label,
            request.platform,
        )
