"""Notifications, push tokens and stock thresholds on the wire."""

from __future__ import annotations

from typing import Annotated, Self
from uuid import UUID

import msgspec

from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.notifications import (
    AlertKind,
    Attempt,
    AttemptOutcome,
    Channel,
    Notification,
    NotificationState,
)
from fusionx.core.model.push_tokens import PushToken
from fusionx.core.rules.alerts import MAX_THRESHOLD
from fusionx.core.use_cases.commands.register_push_token import (
    APNS_TOKEN_PATTERN,
    RegisterPushTokenRequest,
)
from fusionx.core.use_cases.queries.list_truck_notifications import NotificationWithAttempts
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, checked_by_core, text


class NotificationView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    shift_id: UUID | None
    kind: AlertKind
    channel: Channel
    recipient_kind: PrincipalKind
    recipient_id: UUID
    title: str
    body: str
    state: NotificationState
    attempts: int
    created_at: UtcDateTime
    next_attempt_at: UtcDateTime
    sent_at: UtcDateTime | None
    last_error: str | None
    delivery_status: str | None

    @classmethod
    def of(cls, n: Notification) -> Self:
        return cls(
            id=n.id, shift_id=n.shift_id, kind=n.kind, channel=n.channel,
            recipient_kind=n.recipient.kind, recipient_id=n.recipient.id,
            title=n.message.title, body=n.message.body, state=n.state, attempts=n.attempts,
            created_at=n.created_at, next_attempt_at=n.next_attempt_at, sent_at=n.sent_at,
            last_error=n.last_error, delivery_status=n.delivery_status,
        )  # fmt: skip


class AttemptView(msgspec.Struct, frozen=True, kw_only=True):
    number: int
    at: UtcDateTime
    outcome: AttemptOutcome
    detail: str

    @classmethod
    def of(cls, attempt: Attempt) -> Self:
        return cls(
            number=attempt.number, at=attempt.at, outcome=attempt.outcome, detail=attempt.detail
        )


class NotificationDetailView(NotificationView, frozen=True, kw_only=True):
    attempt_log: list[AttemptView]

    @classmethod
    def of_detail(cls, found: NotificationWithAttempts) -> Self:
        view = NotificationView.of(found.notification)
        return cls(
            **msgspec.structs.asdict(view), attempt_log=[AttemptView.of(a) for a in found.attempts]
        )


class NotificationPage(PageView, frozen=True, kw_only=True):
    items: list[NotificationView]
    view = NotificationView.of


class PushTokenBody(RequestBody, frozen=True, kw_only=True):
    token: Annotated[
        str,
        msgspec.Meta(min_length=1, max_length=200),
        checked_by_core(pattern=APNS_TOKEN_PATTERN, description="An APNs device token (hex)"),
    ]
    app_version: Annotated[str, text(50)]
    os_version: Annotated[str, text(50)]
    # Staff apps say which; a kitchen device's platform is the one it registered with.
    platform: Annotated[str, text(16)] = "ios"

    def to_request(self) -> RegisterPushTokenRequest:
        return RegisterPushTokenRequest(
            token=self.token, app_version=self.app_version, os_version=self.os_version,
            platform=self.platform,
        )  # fmt: skip


class PushTokenView(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    platform: str
    app_version: str
    os_version: str
    registered_at: UtcDateTime
    active: bool

    @classmethod
    def of(cls, token: PushToken) -> Self:
        return cls(
            token=token.token, platform=token.platform, app_version=token.app_version,
            os_version=token.os_version, registered_at=token.registered_at, active=token.usable,
        )  # fmt: skip


class ThresholdBody(RequestBody, frozen=True, kw_only=True):
    """Alert when stock falls to this many or fewer; null drops the setting (a shift's
    falls back to the item's, an item's to the fleet default of 5)."""

    threshold: Annotated[int, checked_by_core(minimum=0, maximum=MAX_THRESHOLD)] | None
