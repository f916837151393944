"""What the demo fleet is: two trucks, two locations, one account per role, a menu the
trucks open each shift with stock of, and a TruckKDS tablet for the first truck. No
shift: clients check in themselves. ``demo_seeder`` writes it.

Every demo record has a fixed id (``demo_id``): that is how the seed knows its own
records from anyone else's, whatever their names.
"""

from __future__ import annotations

from datetime import time
from uuid import UUID, uuid5

import msgspec

from fusionx.core.model.hours import OperatingHours, WeeklyInterval
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.create_location import CreateLocationRequest

DEMO_PASSWORD = "fusionx-demo-password"  # noqa: S105 - published in the README
DEMO_ACCOUNTS = (
    ("owner@demo.fusionx.test", "Olive Owner", Role.OWNER),
    ("manager@demo.fusionx.test", "Manny Manager", Role.MANAGER),
    ("crew@demo.fusionx.test", "Cris Crew", Role.CREW),
)
DEMO_MANAGER_EMAIL = DEMO_ACCOUNTS[1][0]
DEMO_TRUCKS = ("Taco Titan", "Noodle Nomad")
DEMO_LOCATIONS = (
    CreateLocationRequest(
        name="Riverside Market",
        timezone="Europe/London",
        address="1 Riverside Walk, London",
        latitude=51.5072,
        longitude=-0.1276,
    ),
    CreateLocationRequest(
        name="Canal Yard",
        timezone="Europe/London",
        address="12 Towpath Lane, London",
        latitude=51.5362,
        longitude=-0.0760,
    ),
)
DEMO_MENU: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("Tacos", (("Carnitas taco", 450), ("Chicken tinga taco", 425), ("Nopal taco", 400))),
    ("Noodles", (("Dan dan noodles", 950), ("Pad see ew", 1050), ("Cold sesame noodles", 850))),
    ("Sides", (("Elote", 375), ("Pickled slaw", 250))),
    ("Drinks", (("Horchata", 325), ("Lime agua fresca", 300), ("Sparkling water", 200))),
)
DEMO_DEVICE_LABEL = "Demo pass tablet"
# What each shift of a demo truck opens with, of every item: a first order never waits.
DEMO_OPENING_STOCK = 50

# Every demo truck's own hours: open all day, every day, so the demo checks in any time
# (and shows hours set, in the location's time zone).
DEMO_HOURS = OperatingHours(
    weekly=tuple(
        WeeklyInterval(day=day, opens=time(0), closes=time(0), overnight=True)
        for day in range(1, 8)
    )
)

_DEMO_NAMESPACE = UUID("6d2f0c8e-3b5a-4f1e-9c47-0f5a3e1d2b6c")
_DEMO_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def demo_id(kind: str, key: str) -> UUID:
    """The fixed id of the demo's ``kind`` record named ``key``: a UUIDv7 of 2026-01-01
    whose other bits come from the kind and the key, the same on every machine."""
    name_bits = bytearray(uuid5(_DEMO_NAMESPACE, f"{kind}:{key}").bytes)
    name_bits[:6] = _DEMO_EPOCH_MS.to_bytes(6, "big")
    name_bits[6] = 0x70 | (name_bits[6] & 0x0F)  # version 7
    name_bits[8] = 0x80 | (name_bits[8] & 0x3F)  # RFC 9562 variant
    return UUID(bytes=bytes(name_bits))


class DemoAccount(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    email: str
    name: str
    role: Role


class DemoRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str


class DemoItem(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    price_cents: int


class DemoCategory(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    items: list[DemoItem]


class DemoDevice(msgspec.Struct, frozen=True, kw_only=True):
    """``credential`` is set only by the run that registered the device."""

    id: UUID
    truck_id: UUID
    label: str
    credential: str | None = None


class DemoFleet(msgspec.Struct, frozen=True, kw_only=True):
    """What the demo data holds; ``created`` tells whether this run added anything."""

    created: bool
    password: str
    opening_stock: int
    accounts: list[DemoAccount]
    trucks: list[DemoRecord]
    locations: list[DemoRecord]
    categories: list[DemoCategory]
    device: DemoDevice


def describe_fleet(fleet: DemoFleet) -> str:
    """The demo fleet for a person at a terminal: who to sign in as, and the ids."""
    lines = ["demo data " + ("added" if fleet.created else "already present, nothing changed")]
    lines.append(f"sign in with password {fleet.password!r} as:")
    lines += [f"  {a.email:<28} {a.role.value:<8} {a.id}" for a in fleet.accounts]
    lines.append("trucks:")
    lines += [f"  {t.name:<28} {t.id}" for t in fleet.trucks]
    lines.append("locations:")
    lines += [f"  {loc.name:<28} {loc.id}" for loc in fleet.locations]
    lines.append(f"menu ({fleet.opening_stock} of each item on hand when a demo truck checks in):")
    for category in fleet.categories:
        lines.append(f"  {category.name:<28} {category.id}")
        lines += [f"    {i.name:<26} {i.price_cents / 100:>6.2f} {i.id}" for i in category.items]
    device = fleet.device
    lines.append(f"TruckKDS device {device.label!r} on {fleet.trucks[0].name}: {device.id}")
    if device.credential is not None:
        lines.append(f"  credential (shown once, keep it now): {device.credential}")
    else:
        lines.append("  its credential was printed by the run that registered it")
    return "\n".join(lines)
