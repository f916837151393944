"""TruckKDS devices: the kitchen tablets registered to a truck."""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec


class Platform(enum.StrEnum):
    IPADOS = "ipados"
    IOS = "ios"
    ANDROID = "android"
    WEB = "web"
    OTHER = "other"


class Device(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    truck_id: UUID
    label: str
    platform: Platform
    app_version: str
    os_version: str
    registered_by: UUID
    created_at: datetime
    last_seen_at: datetime | None = None
    revoked_at: datetime | None = None
    # What the latest heartbeat said.
    last_event_seq: int | None = None
    battery_percent: int | None = None
    queue_depth: int | None = None
    # When the device was found stale (no heartbeat in the window); None while online.
    stale_since: datetime | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class DeviceHealth(enum.StrEnum):
    ONLINE = "online"
    # No heartbeat within the stale window.
    STALE = "stale"
    NEVER_SEEN = "never_seen"
    REVOKED = "revoked"


class Heartbeat(msgspec.Struct, frozen=True, kw_only=True):
    """What a device reports about itself every few seconds."""

    app_version: str
    os_version: str
    last_event_seq: int
    battery_percent: int | None = None
    queue_depth: int | None = None


class TrackedDevice(msgspec.Struct, frozen=True, kw_only=True):
    device: Device
    health: DeviceHealth
