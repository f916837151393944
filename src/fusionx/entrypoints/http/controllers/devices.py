from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from fusionx.core.model.devices import DeviceHealth
from fusionx.core.use_cases.commands.record_heartbeat import RecordHeartbeat
from fusionx.core.use_cases.commands.register_device import RegisterDevice
from fusionx.core.use_cases.commands.revoke_device import RevokeDevice
from fusionx.core.use_cases.queries.list_truck_devices import ListTruckDevices
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.credential_routes import REPLAY_NOTE, carries_secrets
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.devices import (
    DevicePage,
    DeviceView,
    HeartbeatBody,
    RegisterDeviceBody,
    RegisteredDeviceView,
)


class TruckDevicesController(Controller):
    path = "/api/v1/trucks/{truck_id:uuid}/devices"
    tags = ("devices",)
    security = BEARER

    @post(
        operation_id="registerDevice",
        summary="Register a kitchen device for a truck and get its credential (shown once)",
        description=REPLAY_NOTE,
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
        opt=carries_secrets(
            reissue="The device is registered, without a credential anyone holds: find it "
            "in the truck's devices (listTruckDevices), revoke it and register it again."
        ),
    )
    async def register(
        self,
        truck_id: FromPath[UUID],
        data: JSONBody[RegisterDeviceBody],
        principal: CurrentPrincipal,
        register_device: UseCase[RegisterDevice],
    ) -> RegisteredDeviceView:
        return RegisteredDeviceView.of(
            await register_device.execute(principal, data.to_request(truck_id))
        )

    @get(
        operation_id="listTruckDevices",
        summary="A truck's devices, revoked ones included, oldest first: each online or stale",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def list_devices(
        self,
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        list_truck_devices: UseCase[ListTruckDevices],
        page: Paging,
    ) -> DevicePage:
        return DevicePage.of(await list_truck_devices.tracked(principal, truck_id, page))


class DevicesController(Controller):
    path = "/api/v1/devices"
    tags = ("devices",)
    security = BEARER

    @delete(
        "/{device_id:uuid}",
        operation_id="revokeDevice",
        summary="Revoke a device: its credential stops working on the next request",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def revoke(
        self,
        device_id: FromPath[UUID],
        principal: CurrentPrincipal,
        revoke_device: UseCase[RevokeDevice],
    ) -> None:
        await revoke_device.execute(principal, device_id)


class HeartbeatController(Controller):
    path = "/api/v1/devices/heartbeat"
    tags = ("devices",)
    security = BEARER

    @post(
        status_code=200,
        operation_id="recordHeartbeat",
        summary="A kitchen device reports it is alive: versions, last event held, battery",
        responses=problem_responses(400, 401, 403, 413, 422),
    )
    async def beat(
        self,
        data: JSONBody[HeartbeatBody],
        principal: CurrentPrincipal,
        record_heartbeat: UseCase[RecordHeartbeat],
    ) -> DeviceView:
        device = await record_heartbeat.execute(principal, data.to_model())
        return DeviceView.of(device, DeviceHealth.ONLINE)
