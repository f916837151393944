"""Rows of the foundation tables to domain entities and back, and helpers every
repository shares. The shift-time repositories decode their own rows next to the
statements that read them, straight from result tuples into Structs."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

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


def plain_uuid(value: UUID) -> UUID:
    """asyncpg hands back its own UUID subclass; entities hold the standard one."""
    return value if type(value) is UUID else UUID(bytes=value.bytes)


def actor_from(kind: str, actor_id: UUID) -> Actor:
    """An actor kept as two columns, ``<role>_kind`` and ``<role>_id``."""
    return Actor(kind=PrincipalKind(kind), id=plain_uuid(actor_id))


def truck_row(truck: Truck) -> TruckRow:
    return TruckRow(id=truck.id, name=truck.name, active=truck.active, created_at=truck.created_at)


def truck_from(row: TruckRow) -> Truck:
    return Truck(id=plain_uuid(row.id), name=row.name, active=row.active, created_at=row.created_at)


def location_row(location: Location) -> LocationRow:
    return LocationRow(
        id=location.id,
        name=location.name,
        timezone=location.timezone,
        address=location.address,
        latitude=location.latitude,
        longitude=location.longitude,
        active=location.active,
        created_at=location.created_at,
    )


def location_from(row: LocationRow) -> Location:
    return Location(
        id=plain_uuid(row.id),
        name=row.name,
        timezone=row.timezone,
        address=row.address,
        latitude=row.latitude,
        longitude=row.longitude,
        active=row.active,
        created_at=row.created_at,
    )


def staff_values(staff: StaffMember) -> dict[str, object]:
    """Column values of the ``staff`` row; ``truck_ids`` live in ``staff_trucks``."""
    return {
        "id": staff.id,
        "email": staff.email,
        "email_key": normalize_email(staff.email),
        "name": staff.name,
        "role": staff.role.value,
        "password_hash": staff.password_hash,
        "phone": staff.phone,
        "active": staff.active,
        "created_at": staff.created_at,
    }


def staff_from(row: StaffRow, truck_ids: Iterable[UUID]) -> StaffMember:
    return StaffMember(
        id=plain_uuid(row.id),
        email=row.email,
        name=row.name,
        role=Role(row.role),
        password_hash=row.password_hash,
        phone=row.phone,
        active=row.active,
        created_at=row.created_at,
        truck_ids=frozenset(plain_uuid(truck_id) for truck_id in truck_ids),
    )


def device_row(device: Device) -> DeviceRow:
    return DeviceRow(
        id=device.id,
        truck_id=device.truck_id,
        label=device.label,
        platform=device.platform.value,
        app_version=device.app_version,
        os_version=device.os_version,
        registered_by=device.registered_by,
        created_at=device.created_at,
        last_seen_at=device.last_seen_at,
        revoked_at=device.revoked_at,
        last_event_seq=device.last_event_seq,
        battery_percent=device.battery_percent,
        queue_depth=device.queue_depth,
        stale_since=device.stale_since,
    )


def device_from(row: DeviceRow) -> Device:
    return Device(
        id=plain_uuid(row.id),
        truck_id=plain_uuid(row.truck_id),
        label=row.label,
        platform=Platform(row.platform),
        app_version=row.app_version,
        os_version=row.os_version,
        registered_by=plain_uuid(row.registered_by),
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        revoked_at=row.revoked_at,
        last_event_seq=row.last_event_seq,
        battery_percent=row.battery_percent,
        queue_depth=row.queue_depth,
        stale_since=row.stale_since,
    )


def token_values(token: AccessToken) -> dict[str, object]:
    return {
        "id": token.id,
        "token_hash": token.token_hash,
        "kind": token.kind.value,
        "subject_id": token.subject_id,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


def token_from(row: AccessTokenRow) -> AccessToken:
    return AccessToken(
        id=plain_uuid(row.id),
        token_hash=row.token_hash,
        kind=PrincipalKind(row.kind),
        subject_id=plain_uuid(row.subject_id),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )
