from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from fusionx.core.model.notifications import Attempt, Claim, Notification
from fusionx.core.model.paging import Page, PageRequest


class NotificationOutbox(Protocol):
    """Notifications waiting to be sent, and what became of them.

    Notifications are added in the unit of work of the change that causes them, so
    they exist exactly when that change is committed. ``claim`` hands each due
    notification to one dispatcher at a time, for a lease: a claim not finished
    before its lease ends (its dispatcher died) is handed out again.
    """

    async def add(self, notification: Notification) -> None: ...

    async def add_all(self, notifications: Sequence[Notification]) -> None:
        """Add every one of ``notifications`` at once (one statement on SQL)."""
        ...

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Claim]:
        """Pending notifications due at ``now`` that nobody holds, oldest due first;
        each is held until ``now + lease`` and skipped by concurrent claims."""
        ...

    async def finish(self, claim: Claim, updated: Notification, attempt: Attempt) -> bool:
        """Record ``attempt`` and store ``updated`` and release the claim, if the claim
        is still held (False, with only the attempt recorded, if it was lost)."""
        ...

    async def get(self, notification_id: UUID) -> Notification | None: ...

    async def attempts(self, notification_id: UUID) -> list[Attempt]:
        """Every attempt, in order."""
        ...

    async def list_for_truck(self, truck_id: UUID, page: PageRequest) -> Page[Notification]:
        """A truck's notifications, newest first."""
        ...

    async def sms_sent_since(self, phone: str, since: datetime) -> int:
        """SMS notifications sent to ``phone`` at or after ``since``."""
        ...

    async def by_provider_ref(self, provider_ref: str) -> Notification | None: ...

    async def set_delivery_status(self, notification_id: UUID, status: str) -> None: ...
