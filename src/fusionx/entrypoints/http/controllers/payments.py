from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post

from fusionx.core.use_cases.commands.receive_payment_notification import (
    PaymentNotificationRequest,
    ReceivePaymentNotification,
)
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import problem_responses
from fusionx.entrypoints.http.schemas.payments import PaymentReceiptView


class PaymentWebhooksController(Controller):
    """Inbound notifications from the payment gateway, authenticated by their signature."""

    path = "/api/v1/webhooks/payments"
    tags = ("payments",)

    @post(
        status_code=200,
        operation_id="receivePaymentNotification",
        summary="The payment gateway's signed notification; a paid order reaches the kitchen",
        responses=problem_responses(401, 413, 422, 503),
    )
    async def receive(
        self,
        request: Request[Any, Any, Any],
        receive_payment_notification: UseCase[ReceivePaymentNotification],
    ) -> PaymentReceiptView:
        notification = PaymentNotificationRequest(
            headers=dict(request.headers), body=await request.body()
        )
        return PaymentReceiptView(outcome=await receive_payment_notification.execute(notification))
