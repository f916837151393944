from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID, uuid4

from sqlalchemy import Row, Table, and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import actor_from, plain_uuid
from fusionx.adapters.sql.tables import NotificationAttemptRow, NotificationRow
from fusionx.core.model.notifications import (
    AlertKind,
    AlertText,
    Attempt,
    AttemptOutcome,
    Channel,
    Claim,
    Notification,
    NotificationState,
)
from fusionx.core.model.paging import Page, PageRequest

_N = cast(Table, NotificationRow.__table__)
_A = cast(Table, NotificationAttemptRow.__table__)
_ADD = insert(_N)
_COLUMNS = [column for column in _N.c if column.name not in ("claim_token", "claimed_until")]


class SqlNotificationOutbox:
    """``NotificationOutbox`` on ``notifications`` and ``notification_attempts``.

    A claim marks rows with a token and a lease end in one UPDATE. On PostgreSQL the
    rows are chosen ``FOR UPDATE SKIP LOCKED``, so concurrent dispatchers (workers,
    instances) each take different rows without waiting for one another; SQLite has a
    single writer at a time, and the lease condition in the same statement guards it.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, notification: Notification) -> None:
        await self.add_all([notification])

    async def add_all(self, notifications: Sequence[Notification]) -> None:
        """Every order's reaction writes here: one cached INSERT run for all the rows (the
        driver batches them), where an INSERT … VALUES built of the rows was compiled anew
        on every order."""
        if notifications:
            connection = await self._session.connection()
            await connection.execute(_ADD, [_values(n) for n in notifications])

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Claim]:
        token, until = uuid4(), now + lease
        due = (
            select(_N.c.id)
            .where(
                _N.c.state == NotificationState.PENDING.value,
                _N.c.next_attempt_at <= now,
                or_(_N.c.claimed_until.is_(None), _N.c.claimed_until <= now),
            )
            .order_by(_N.c.next_attempt_at, _N.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        result = await self._session.execute(
            update(_N)
            .where(_N.c.id.in_(due))
            .values(claim_token=token, claimed_until=until)
            .returning(*_COLUMNS)
        )
        notifications = sorted((_decode(row) for row in result), key=_due_order)
        return [Claim(notification=n, token=token, until=until) for n in notifications]

    async def finish(self, claim: Claim, updated: Notification, attempt: Attempt) -> bool:
        await self._session.execute(
            insert(_A),
            [
                {
                    "notification_id": attempt.notification_id,
                    "number": attempt.number,
                    "at": attempt.at,
                    "outcome": attempt.outcome.value,
                    "detail": attempt.detail[:500],
                    "address": attempt.address,
                }
            ],
        )
        values = _values(updated)
        del values["id"]
        result = await self._session.execute(
            update(_N)
            .where(_N.c.id == claim.notification.id, _N.c.claim_token == claim.token)
            .values(**values, claim_token=None, claimed_until=None)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def get(self, notification_id: UUID) -> Notification | None:
        row = (
            await self._session.execute(select(*_COLUMNS).where(_N.c.id == notification_id))
        ).first()
        return None if row is None else _decode(row)

    async def attempts(self, notification_id: UUID) -> list[Attempt]:
        result = await self._session.execute(
            select(_A.c.number, _A.c.at, _A.c.outcome, _A.c.detail, _A.c.address)
            .where(_A.c.notification_id == notification_id)
            .order_by(_A.c.id)
        )
        return [
            Attempt(
                notification_id=notification_id,
                number=number,
                at=at,
                outcome=AttemptOutcome(outcome),
                detail=detail,
                address=address,
            )
            for number, at, outcome, detail, address in result
        ]

    async def list_for_truck(self, truck_id: UUID, page: PageRequest) -> Page[Notification]:
        total = await self._session.scalar(
            select(func.count()).select_from(_N).where(_N.c.truck_id == truck_id)
        )
        result = await self._session.execute(
            select(*_COLUMNS)
            .where(_N.c.truck_id == truck_id)
            .order_by(_N.c.created_at.desc(), _N.c.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        return Page(
            items=[_decode(row) for row in result],
            total=total or 0,
            limit=page.limit,
            offset=page.offset,
        )

    async def sms_sent_since(self, phone: str, since: datetime) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(_N)
            .where(
                and_(
                    _N.c.address == phone,
                    _N.c.channel == Channel.SMS.value,
                    _N.c.sent_at >= since,
                )
            )
        )
        return count or 0

    async def by_provider_ref(self, provider_ref: str) -> Notification | None:
        row = (
            await self._session.execute(select(*_COLUMNS).where(_N.c.provider_ref == provider_ref))
        ).first()
        return None if row is None else _decode(row)

    async def set_delivery_status(self, notification_id: UUID, status: str) -> None:
        await self._session.execute(
            update(_N).where(_N.c.id == notification_id).values(delivery_status=status[:32])
        )


def _values(notification: Notification) -> dict[str, Any]:
    message = notification.message
    return {
        "id": notification.id,
        "truck_id": notification.truck_id,
        "shift_id": notification.shift_id,
        "kind": notification.kind.value,
        "channel": notification.channel.value,
        "recipient_kind": notification.recipient.kind.value,
        "recipient_id": notification.recipient.id,
        "title": message.title,
        "body": message.body,
        "data": message.data,
        "collapse_key": message.collapse_key,
        "state": notification.state.value,
        "attempts": notification.attempts,
        "created_at": notification.created_at,
        "next_attempt_at": notification.next_attempt_at,
        "sent_at": notification.sent_at,
        "address": notification.address,
        "last_error": notification.last_error[:500] if notification.last_error else None,
        "provider_ref": notification.provider_ref,
        "delivery_status": notification.delivery_status,
    }


def _decode(row: Row[Any]) -> Notification:
    r = row._mapping
    shift_id = r["shift_id"]
    return Notification(
        id=plain_uuid(r["id"]),
        truck_id=plain_uuid(r["truck_id"]),
        shift_id=None if shift_id is None else plain_uuid(shift_id),
        kind=AlertKind(r["kind"]),
        channel=Channel(r["channel"]),
        recipient=actor_from(r["recipient_kind"], r["recipient_id"]),
        message=AlertText(
            title=r["title"], body=r["body"], data=r["data"], collapse_key=r["collapse_key"]
        ),
        state=NotificationState(r["state"]),
        attempts=r["attempts"],
        created_at=r["created_at"],
        next_attempt_at=r["next_attempt_at"],
        sent_at=r["sent_at"],
        address=r["address"],
        last_error=r["last_error"],
        provider_ref=r["provider_ref"],
        delivery_status=r["delivery_status"],
    )


def _due_order(notification: Notification) -> tuple[datetime, UUID]:
    return notification.next_attempt_at, notification.id
