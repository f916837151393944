from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from fusionx.core.model.devices import DeviceHealth
from fusionx.core.use_cases.commands.record_heartbeat import RecordHeartbeat
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.devices import DeviceView, HeartbeatBody


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
