"""When a device counts as online: a heartbeat within the stale window."""

from __future__ import annotations

from datetime import datetime, timedelta

from fusionx.core.model.devices import Device, DeviceHealth


def health(device: Device, now: datetime, stale_after: timedelta) -> DeviceHealth:
    if device.revoked:
        return DeviceHealth.REVOKED
    if device.last_seen_at is None:
        return DeviceHealth.NEVER_SEEN
    if now - device.last_seen_at > stale_after:
        return DeviceHealth.STALE
    return DeviceHealth.ONLINE
