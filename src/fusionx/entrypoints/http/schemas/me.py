"""The caller as ``GET /api/v1/me`` shows them: staff or device, told apart by ``kind``."""

from __future__ import annotations

from fusionx.core.model.principals import DevicePrincipal, Principal
from fusionx.entrypoints.http.schemas.devices import DeviceView
from fusionx.entrypoints.http.schemas.staff import StaffView


class StaffMe(StaffView, frozen=True, kw_only=True, tag_field="kind", tag="staff"):
    """A signed-in staff member (``kind: "staff"``)."""


class DeviceMe(DeviceView, frozen=True, kw_only=True, tag_field="kind", tag="device"):
    """A registered kitchen device (``kind: "device"``)."""


Me = StaffMe | DeviceMe


def me_of(principal: Principal) -> Me:
    if isinstance(principal, DevicePrincipal):
        return DeviceMe.of(principal.device)
    return StaffMe.of(principal.staff)
