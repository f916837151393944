from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.request_pairing_code import RequestPairingCode
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.credential_routes import REPLAY_NOTE, carries_secrets
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.pairing import PairingCodeBody, PairingCodeView


class PairingCodesController(Controller):
    path = "/api/v1/trucks/{truck_id:uuid}/pairing-codes"
    tags = ("devices",)
    security = BEARER

    @post(
        operation_id="requestPairingCode",
        summary="A short code that pairs a tablet's browser with the truck as a new device",
        description="Valid five minutes, for one device: type it on the board's pairing page. "
        + REPLAY_NOTE,
        responses=problem_responses(400, 401, 403, 404, 413, 422),
        opt=carries_secrets(reissue="Ask for another code: an unused one expires by itself."),
    )
    async def request(
        self,
        truck_id: FromPath[UUID],
        data: JSONBody[PairingCodeBody],
        principal: CurrentPrincipal,
        request_pairing_code: UseCase[RequestPairingCode],
    ) -> PairingCodeView:
        return PairingCodeView.of(
            await request_pairing_code.execute(principal, data.to_request(truck_id))
        )
