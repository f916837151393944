from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, HeaderParameter, JSONBody

from fusionx.core.use_cases.commands.record_sms_status import RecordSmsStatus
from fusionx.core.use_cases.commands.register_push_token import RegisterPushToken
from fusionx.core.use_cases.commands.set_stock_threshold import (
    ItemThresholdRequest,
    SetStockThreshold,
    ShiftThresholdRequest,
)
from fusionx.core.use_cases.queries.list_truck_notifications import ListTruckNotifications
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.notifications import (
    NotificationDetailView,
    NotificationPage,
    PushTokenBody,
    PushTokenView,
    ThresholdBody,
)

Signature = Annotated[str, HeaderParameter(name="X-Twilio-Signature", required=False)]
StatusForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class TruckNotificationsController(Controller):
    path = "/api/v1/trucks/{truck_id:uuid}/notifications"
    tags = ("notifications",)
    security = BEARER

    @get(
        operation_id="listTruckNotifications",
        summary="What the truck told whom, newest first, with each notification's state",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def list_notifications(
        self,
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        list_truck_notifications: UseCase[ListTruckNotifications],
        page: Paging,
    ) -> NotificationPage:
        return NotificationPage.of(
            await list_truck_notifications.execute(principal, truck_id, page)
        )

    @get(
        "/{notification_id:uuid}",
        operation_id="getTruckNotification",
        summary="One notification with every attempt to deliver it and its outcome",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def get_notification(
        self,
        truck_id: FromPath[UUID],
        notification_id: FromPath[UUID],
        principal: CurrentPrincipal,
        list_truck_notifications: UseCase[ListTruckNotifications],
    ) -> NotificationDetailView:
        found = await list_truck_notifications.one(principal, truck_id, notification_id)
        return NotificationDetailView.of_detail(found)


class PushTokenController(Controller):
    path = "/api/v1/devices/me/push-token"
    tags = ("notifications",)
    security = BEARER

    @put(
        operation_id="registerPushToken",
        summary="Register where this device's (or this staff app's) pushes go",
        responses=problem_responses(400, 401, 413, 422),
    )
    async def register(
        self,
        data: JSONBody[PushTokenBody],
        principal: CurrentPrincipal,
        register_push_token: UseCase[RegisterPushToken],
    ) -> PushTokenView:
        return PushTokenView.of(await register_push_token.execute(principal, data.to_request()))


class StockThresholdsController(Controller):
    path = "/api/v1"
    tags = ("inventory",)
    security = BEARER

    @put(
        "/shifts/{shift_id:uuid}/stock-thresholds/{item_id:uuid}",
        operation_id="setShiftStockThreshold",
        summary="Alert this shift's staff when the item falls to this many or fewer",
        status_code=204,
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def for_shift(
        self,
        shift_id: FromPath[UUID],
        item_id: FromPath[UUID],
        data: JSONBody[ThresholdBody],
        principal: CurrentPrincipal,
        set_stock_threshold: UseCase[SetStockThreshold],
    ) -> None:
        request = ShiftThresholdRequest(
            shift_id=shift_id, item_id=item_id, threshold=data.threshold
        )
        await set_stock_threshold.for_shift(principal, request)

    @put(
        "/menu/items/{item_id:uuid}/low-stock-threshold",
        operation_id="setItemStockThreshold",
        summary="The item's default low-stock threshold for every shift (null: fleet default)",
        status_code=204,
        responses=problem_responses(400, 401, 403, 404, 413, 422),
    )
    async def for_item(
        self,
        item_id: FromPath[UUID],
        data: JSONBody[ThresholdBody],
        principal: CurrentPrincipal,
        set_stock_threshold: UseCase[SetStockThreshold],
    ) -> None:
        request = ItemThresholdRequest(item_id=item_id, threshold=data.threshold)
        await set_stock_threshold.for_item(principal, request)


class SmsStatusController(Controller):
    path = "/api/v1/sms/status"
    tags = ("notifications",)

    @post(
        operation_id="recordSmsStatus",
        summary="The SMS provider's delivery report (signed with X-Twilio-Signature)",
        status_code=204,
        responses=problem_responses(400, 403, 413, 422),
    )
    async def record(
        self,
        data: StatusForm,
        record_sms_status: UseCase[RecordSmsStatus],
        signature: Signature = "",
    ) -> None:
        await record_sms_status.execute(data, signature)
