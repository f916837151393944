"""In-memory notification repositories: the outbox, push tokens, preferences, the SMS
blocklist, stock thresholds and who can be told."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import msgspec

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.actors import Actor
from fusionx.core.model.audience import Audience, StaffContact
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.notifications import (
    Attempt,
    Channel,
    Claim,
    Notification,
    NotificationState,
)
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.preferences import NotificationPreferences
from fusionx.core.model.push_tokens import PushToken
from fusionx.core.model.staff import StaffMember


class InMemoryNotificationOutbox:
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def add(self, notification: Notification) -> None:
        self._tables.outbox[notification.id] = notification

    async def add_all(self, notifications: Sequence[Notification]) -> None:
        for notification in notifications:
            await self.add(notification)

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Claim]:
        due = sorted(
            (
                n
                for n in self._tables.outbox.values()
                if n.state is NotificationState.PENDING
                and n.next_attempt_at <= now
                and self._tables.claims.get(n.id, (None, now))[1] <= now
            ),
            key=lambda n: (n.next_attempt_at, n.id),
        )[:limit]
        claims = []
        for notification in due:
            claim = Claim(notification=notification, token=uuid4(), until=now + lease)
            self._tables.claims[notification.id] = (claim.token, claim.until)
            claims.append(claim)
        return claims

    async def finish(self, claim: Claim, updated: Notification, attempt: Attempt) -> bool:
        notification_id = claim.notification.id
        self._tables.attempts[notification_id] = (
            *self._tables.attempts.get(notification_id, ()),
            attempt,
        )
        held = self._tables.claims.get(notification_id, (None, None))[0] == claim.token
        if held:
            del self._tables.claims[notification_id]
            self._tables.outbox[notification_id] = updated
        return held

    async def get(self, notification_id: UUID) -> Notification | None:
        return self._tables.outbox.get(notification_id)

    async def attempts(self, notification_id: UUID) -> list[Attempt]:
        return list(self._tables.attempts.get(notification_id, ()))

    async def list_for_truck(self, truck_id: UUID, page: PageRequest) -> Page[Notification]:
        mine = sorted(
            (n for n in self._tables.outbox.values() if n.truck_id == truck_id),
            key=lambda n: (n.created_at, n.id),
            reverse=True,
        )
        return Page.of_list(mine, page)

    async def sms_sent_since(self, phone: str, since: datetime) -> int:
        return sum(
            1
            for n in self._tables.outbox.values()
            if n.channel is Channel.SMS
            and n.address == phone
            and n.sent_at is not None
            and n.sent_at >= since
        )

    async def by_provider_ref(self, provider_ref: str) -> Notification | None:
        return next(
            (n for n in self._tables.outbox.values() if n.provider_ref == provider_ref), None
        )

    async def set_delivery_status(self, notification_id: UUID, status: str) -> None:
        current = self._tables.outbox.get(notification_id)
        if current is not None:
            self._tables.outbox[notification_id] = msgspec.structs.replace(
                current, delivery_status=status
            )


class InMemoryPushTokenRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.push_tokens

    async def put(self, token: PushToken) -> None:
        self._rows[(token.owner.kind.value, token.owner.id)] = token

    async def get(self, owner: Actor) -> PushToken | None:
        return self._rows.get((owner.kind.value, owner.id))

    async def remove(self, owner: Actor) -> None:
        self._rows.pop((owner.kind.value, owner.id), None)


class InMemoryNotificationPreferenceRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.preferences

    async def get(self, staff_id: UUID) -> NotificationPreferences:
        return self._rows.get(staff_id) or NotificationPreferences(staff_id=staff_id)

    async def put(self, preferences: NotificationPreferences) -> None:
        self._rows[preferences.staff_id] = preferences


class InMemorySmsNumberBlocklist:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.blocked_numbers

    async def block(self, phone: str, reason: str, at: datetime) -> None:  # noqa: ARG002
        self._rows[phone] = reason

    async def reason(self, phone: str) -> str | None:
        return self._rows.get(phone)

    async def unblock(self, phone: str) -> None:
        self._rows.pop(phone, None)


class InMemoryStockThresholds:
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def for_shift(self, shift_id: UUID, item_ids: set[UUID]) -> dict[UUID, int | None]:
        found: dict[UUID, int | None] = {}
        for item_id in item_ids:
            own = self._tables.shift_thresholds.get((shift_id, item_id))
            found[item_id] = own if own is not None else self._tables.item_thresholds.get(item_id)
        return found

    async def item_default(self, item_id: UUID) -> int | None:
        return self._tables.item_thresholds.get(item_id)

    async def set_item_default(self, item_id: UUID, threshold: int | None) -> None:
        if threshold is None:
            self._tables.item_thresholds.pop(item_id, None)
        else:
            self._tables.item_thresholds[item_id] = threshold

    async def set_for_shift(self, shift_id: UUID, item_id: UUID, threshold: int | None) -> None:
        if threshold is None:
            self._tables.shift_thresholds.pop((shift_id, item_id), None)
        else:
            self._tables.shift_thresholds[(shift_id, item_id)] = threshold


class InMemoryNotificationAudience:
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def of_truck(self, truck_id: UUID) -> Audience:
        devices = sorted(
            (d for d in self._tables.devices.values() if d.truck_id == truck_id and not d.revoked),
            key=lambda d: (d.created_at, d.id),
        )
        staff = sorted(
            (s for s in self._tables.staff.values() if s.active and truck_id in s.truck_ids),
            key=lambda s: (s.created_at, s.id),
        )
        return Audience(
            devices=tuple(d.id for d in devices if self._has_push(PrincipalKind.DEVICE, d.id)),
            staff=tuple(self._contact(s) for s in staff),
        )

    async def contact(self, staff_id: UUID) -> StaffContact | None:
        staff = self._tables.staff.get(staff_id)
        return self._contact(staff) if staff is not None and staff.active else None

    def _contact(self, staff: StaffMember) -> StaffContact:
        return StaffContact(
            staff_id=staff.id,
            role=staff.role,
            phone=staff.phone,
            preferences=self._tables.preferences.get(staff.id)
            or NotificationPreferences(staff_id=staff.id),
            has_push=self._has_push(PrincipalKind.STAFF, staff.id),
        )

    def _has_push(self, kind: PrincipalKind, owner_id: UUID) -> bool:
        token = self._tables.push_tokens.get((kind.value, owner_id))
        return token is not None and token.usable
