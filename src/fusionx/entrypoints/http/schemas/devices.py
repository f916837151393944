"""Kitchen tablets: registration, listing and their wire form."""

from __future__ import annotations

from typing import Annotated, Self
from uuid import UUID

import msgspec

from fusionx.core.model.devices import Device, DeviceHealth, Heartbeat, Platform, TrackedDevice
from fusionx.core.use_cases.commands.register_device import RegisterDeviceRequest, RegisteredDevice
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text


class RegisterDeviceBody(RequestBody, frozen=True, kw_only=True):
    label: Annotated[str, text(100)]
    platform: Platform
    app_version: Annotated[str, text(50)]
    os_version: Annotated[str, text(50)]

    def to_request(self, truck_id: UUID) -> RegisterDeviceRequest:
        return RegisterDeviceRequest(
            truck_id=truck_id,
            label=self.label,
            platform=self.platform,
            app_version=self.app_version,
            os_version=self.os_version,
        )


class DeviceView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    truck_id: UUID
    label: str
    platform: Platform
    app_version: str
    os_version: str
    registered_by: UUID
    created_at: UtcDateTime
    last_seen_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    # online: a heartbeat within the stale window (FUSIONX_DEVICE_STALE_SECONDS).
    status: DeviceHealth
    # From the latest heartbeat.
    last_event_seq: int | None
    battery_percent: int | None
    queue_depth: int | None

    @classmethod
    def of(cls, device: Device, status: DeviceHealth) -> Self:
        return cls(
            id=device.id,
            truck_id=device.truck_id,
            label=device.label,
            platform=device.platform,
            app_version=device.app_version,
            os_version=device.os_version,
            registered_by=device.registered_by,
            created_at=device.created_at,
            last_seen_at=device.last_seen_at,
            revoked_at=device.revoked_at,
            status=status,
            last_event_seq=device.last_event_seq,
            battery_percent=device.battery_percent,
            queue_depth=device.queue_depth,
        )


class RegisteredDeviceView(msgspec.Struct, frozen=True, kw_only=True):
    """The new device and its credential. The credential is shown here only, never again."""

    device: DeviceView
    credential: str

    @classmethod
    def of(cls, registered: RegisteredDevice) -> RegisteredDeviceView:
        return cls(
            device=DeviceView.of(registered.device, DeviceHealth.NEVER_SEEN),
            credential=registered.credential,
        )


class DevicePage(PageView, frozen=True, kw_only=True):
    items: list[DeviceView]

    @staticmethod
    def view(item: TrackedDevice) -> DeviceView:
        return DeviceView.of(item.device, item.health)


class HeartbeatBody(RequestBody, frozen=True, kw_only=True):
    """Sent by a kitchen device every few seconds. ``last_seq`` is the number of the
    latest shift event it holds."""

    app_version: Annotated[str, text(50)]
    os_version: Annotated[str, text(50)]
    last_seq: Annotated[int, msgspec.Meta(ge=0)]
    battery_percent: Annotated[int, msgspec.Meta(ge=0, le=100)] | None = None
    queue_depth: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None

    def to_model(self) -> Heartbeat:
        return Heartbeat(
            app_version=self.app_version,
            os_version=self.os_version,
            last_event_seq=self.last_seq,
            battery_percent=self.battery_percent,
            queue_depth=self.queue_depth,
        )
