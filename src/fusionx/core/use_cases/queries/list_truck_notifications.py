from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.notifications import Attempt, Notification
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.unit_of_work import UnitOfWork


class NotificationWithAttempts(msgspec.Struct, frozen=True, kw_only=True):
    notification: Notification
    attempts: list[Attempt]


class ListTruckNotifications:
    """Staff of a truck (any role) see what it told whom, newest first, with each
    notification's state and, one by one, every attempt; another truck's are 404."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, principal: Principal, truck_id: UUID, page: PageRequest
    ) -> Page[Notification]:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        require_staff(principal)
        async with self._uow as uow:
            await require_truck_exists(uow, truck_id)
            return await uow.outbox.list_for_truck(truck_id, page)

    async def one(
        self, principal: Principal, truck_id: UUID, notification_id: UUID
    ) -> NotificationWithAttempts:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        require_staff(principal)
        async with self._uow as uow:
            notification = await uow.outbox.get(notification_id)
            if notification is None or notification.truck_id != truck_id:
                raise NotFound("notification", notification_id)
            attempts = await uow.outbox.attempts(notification_id)
        return NotificationWithAttempts(notification=notification, attempts=attempts)
