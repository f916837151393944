"""Rows of the foundation tables to domain entities and back, and helpers every
repository shares. The shift-time repositories decode their own rows next to the
statements that read them, straight from result tuples into Structs."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from sqlalchemy.orm import InstrumentedAttribute

from fusionx.adapters.sql.tables import (
    AccessTokenRow,
    DeviceRow,
    LocationRow,
    StaffRow,
    TruckRow,
)
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import AccessToken, PrincipalKind
from fusionx.core.model.devices import Device, Platform
from fusionx.core.model.staff import Role, StaffMember, normalize_email
from fusionx.core.model.trucks import Location, Truck

E = TypeVar("E", bound=msgspec.Struct)


def plain_uuid(value: UUID) -> UUID:
    """asyncpg hands back its own UUID subclass; entities hold the standard one."""
    return value if type(value) is UUID else UUID(bytes=value.bytes)


def sql_words(words: Iterable[enum.StrEnum]) -> str:
    """``words`` as a list of SQL literals, for ``IN (…)``; ``NULL`` (matching nothing)
    when there are none.

    For a hot statement's fixed vocabulary (ticket states), written into its text rather
    than sent: PostgreSQL plans a prepared statement once only when the one plan looks no
    dearer than one made for the values at hand, and it cannot weigh an array parameter
    against the column's statistics (docs/benchmarks.md, fifth pass). Enum members only:
    their values are words of ours, never input.
    """
    return ", ".join(f"'{word.value}'" for word in sorted(words)) or "NULL"


def actor_from(kind: str, actor_id: UUID) -> Actor:
    """An actor kept as two columns, ``<role>_kind`` and ``<role>_id``."""
    return Actor(kind=PrincipalKind(kind), id=plain_uuid(actor_id))


def named(columns: Sequence[InstrumentedAttribute[Any]], values: Sequence[Any]) -> Any:
    """Values of plain columns (selected for speed, not as ORM entities), read by the
    columns' names as an ORM row's would be: for the ``*_from`` functions below."""
    return SimpleNamespace(**{c.key: v for c, v in zip(columns, values, strict=True)})


def row_values(entity: msgspec.Struct, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The columns of an entity's row, named as its fields (but those in ``exclude``,
    kept elsewhere): enums as their values, an actor ``by`` as ``by_kind`` and ``by_id``,
    tuples (JSON columns) as JSON-ready lists."""
    values: dict[str, Any] = {}
    for name, value in msgspec.structs.asdict(entity).items():
        if name in exclude:
            continue
        if isinstance(value, Actor):
            values[f"{name}_kind"], values[f"{name}_id"] = value.kind.value, value.id
        elif isinstance(value, tuple):
            values[name] = msgspec.to_builtins(value)
        else:
            values[name] = value.value if isinstance(value, enum.Enum) else value
    return values


def entity_from(cls: type[E], row: object, **read: Any) -> E:
    """``cls`` from the row's columns named as its fields; ``read``: those that need
    more than reading (UUIDs, enums)."""
    columns = {name: getattr(row, name) for name in cls.__struct_fields__ if name not in read}
    return cls(**columns, **read)


def truck_row(truck: Truck) -> TruckRow:
    return TruckRow(id=truck.id, name=truck.name, active=truck.active, created_at=truck.created_at)


def truck_from(row: TruckRow) -> Truck:
    return Truck(id=plain_uuid(row.id), name=row.name, active=row.active, created_at=row.created_at)


def location_row(location: Location) -> LocationRow:
    return LocationRow(**row_values(location))


def location_from(row: LocationRow) -> Location:
    return entity_from(Location, row, id=plain_uuid(row.id))


def staff_values(staff: StaffMember) -> dict[str, object]:
    """Column values of the ``staff`` row; ``truck_ids`` live in ``staff_trucks``."""
    return {**row_values(staff, exclude=["truck_ids"]), "email_key": normalize_email(staff.email)}


def staff_from(row: StaffRow, truck_ids: Iterable[UUID]) -> StaffMember:
    return entity_from(
        StaffMember,
        row,
        id=plain_uuid(row.id),
        role=Role(row.role),
        truck_ids=frozenset(plain_uuid(truck_id) for truck_id in truck_ids),
    )


def device_row(device: Device) -> DeviceRow:
    return DeviceRow(**row_values(device))


def device_from(row: DeviceRow) -> Device:
    return entity_from(
        Device,
        row,
        id=plain_uuid(row.id),
        truck_id=plain_uuid(row.truck_id),
        platform=Platform(row.platform),
        registered_by=plain_uuid(row.registered_by),
    )


def token_values(token: AccessToken) -> dict[str, object]:
    return row_values(token)


def token_from(row: AccessTokenRow) -> AccessToken:
    return entity_from(
        AccessToken,
        row,
        id=plain_uuid(row.id),
        kind=PrincipalKind(row.kind),
        subject_id=plain_uuid(row.subject_id),
    )
