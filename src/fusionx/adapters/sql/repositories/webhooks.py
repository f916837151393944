from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import UUID, uuid4

import msgspec
from sqlalchemy import Row, Table, delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from fusionx.adapters.sql.mapping import actor_from, plain_uuid
from fusionx.adapters.sql.tables import WebhookDeliveryRow, WebhookEndpointRow
from fusionx.adapters.sql.unit_statements import driver_fetchrow
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.webhooks import (
    GIVE_UP_AFTER,
    DeliveryClaim,
    DeliveryFilter,
    DeliveryState,
    WebhookDelivery,
    WebhookEndpoint,
)

_E = cast(Table, WebhookEndpointRow.__table__)
_D = cast(Table, WebhookDeliveryRow.__table__)
_ENDPOINT = [c for c in _E.c if c.name not in ("secret", "removed_at")]
_PRESENT = _E.c.removed_at.is_(None)
_DELIVERY = [c for c in _D.c if c.name not in ("claim_token", "claimed_until")]
_PENDING = DeliveryState.PENDING.value
_ADD_DELIVERY = insert(_D)
# What the webhook reaction reads on every commit of events. SQLite: a select built
# once, whose compiled form and result metadata SQLAlchemy caches (raw SQL costs more
# here: its result metadata is built again from the cursor each time).
_SUBSCRIBED = select(*_ENDPOINT).where(_E.c.active.is_(True), _PRESENT).order_by(_E.c.id)
# PostgreSQL: raw SQL in asyncpg's paramstyle, nothing for SQLAlchemy to compile or
# process; the types matched by the JSONB ``?|`` (any of them). One column, the
# endpoints as JSON arrays decoded by msgspec: NULL when none, the common case.
_PG_ENDPOINTS_JSON = """json_agg(json_build_array(
    id, url, event_types, description, created_at, created_by_kind, created_by_id,
    updated_at
) ORDER BY id)::text"""
# Every active endpoint, whatever it subscribed to (an order's intake reads them ahead).
PG_ENDPOINTS = f"""
SELECT {_PG_ENDPOINTS_JSON}
FROM webhook_endpoints
WHERE active AND removed_at IS NULL"""  # noqa: S608 - a constant of ours
_PG_SUBSCRIBED = PG_ENDPOINTS + " AND event_types ?| $1::text[]"

# What a unit of work knows of the endpoints subscribed to a set of event types, read
# in its transaction by a statement that wrote an event (PostgreSQL's kitchen move):
# their JSON as ``_PG_SUBSCRIBED`` answers it, None when there are none; under
# ``EVERY_TYPE``, every active endpoint (``PG_ENDPOINTS``, an order's intake). The
# reaction at commit then reads them from here rather than in another statement. The
# unit empties it with its events; a write to the endpoints in the unit empties it too.
SubscribedMemo = dict[frozenset[str], str | None]
EVERY_TYPE: frozenset[str] = frozenset(("*",))


def pg_subscribed_to(event_type: str) -> str:
    """A subquery: ``_PG_SUBSCRIBED``'s answer for the one type ``event_type``, the
    placeholder of a parameter of the statement that embeds it (never a value)."""
    return f"""(
    SELECT {_PG_ENDPOINTS_JSON}
    FROM webhook_endpoints
    WHERE active AND removed_at IS NULL AND event_types ? {event_type}
)"""  # noqa: S608 - a constant of ours, and the caller's placeholder


class _PgSubscribed(msgspec.Struct, frozen=True, array_like=True):
    id: UUID
    url: str
    event_types: tuple[str, ...]
    description: str | None
    created_at: datetime
    created_by_kind: str
    created_by_id: UUID
    updated_at: datetime


_PG_SUBSCRIBED_DECODER = msgspec.json.Decoder(list[_PgSubscribed])


class SqlWebhookEndpointRepository:
    """``WebhookEndpointRepository`` on ``webhook_endpoints``; the secret is a column
    that only ``secret`` selects. A removed endpoint's row stays, ``removed_at`` set and
    its secret cleared, as the tombstone ``removed`` reads; its deliveries are deleted."""

    def __init__(self, session: AsyncSession, subscribed: SubscribedMemo | None = None) -> None:
        self._session = session
        self._subscribed: SubscribedMemo = {} if subscribed is None else subscribed

    async def add(self, endpoint: WebhookEndpoint, secret: str) -> None:
        self._subscribed.clear()
        await self._session.execute(insert(_E), [{**_endpoint_values(endpoint), "secret": secret}])

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        row = (
            await self._session.execute(select(*_ENDPOINT).where(_E.c.id == endpoint_id, _PRESENT))
        ).first()
        return None if row is None else _endpoint(row)

    async def put(self, endpoint: WebhookEndpoint) -> None:
        self._subscribed.clear()
        values = _endpoint_values(endpoint)
        del values["id"]
        await self._session.execute(update(_E).where(_E.c.id == endpoint.id).values(**values))

    async def remove(self, endpoint_id: UUID, at: datetime) -> None:
        self._subscribed.clear()
        await self._session.execute(delete(_D).where(_D.c.endpoint_id == endpoint_id))
        await self._session.execute(
            update(_E)
            .where(_E.c.id == endpoint_id, _PRESENT)
            .values(removed_at=at, secret=None, active=False)
        )

    async def removed(self, endpoint_id: UUID) -> bool:
        found = await self._session.scalar(
            select(_E.c.id).where(_E.c.id == endpoint_id, _E.c.removed_at.is_not(None))
        )
        return found is not None

    async def listing(self, page: PageRequest) -> Page[WebhookEndpoint]:
        total = await self._session.scalar(select(func.count()).select_from(_E).where(_PRESENT))
        result = await self._session.execute(
            select(*_ENDPOINT)
            .where(_PRESENT)
            .order_by(_E.c.created_at, _E.c.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        return Page(
            items=[_endpoint(row) for row in result],
            total=total or 0,
            limit=page.limit,
            offset=page.offset,
        )

    async def subscribed(self, event_types: Collection[str]) -> list[WebhookEndpoint]:
        """On every commit of events (the webhook reaction): one statement on the unit's
        connection, past the ORM session. PostgreSQL: raw SQL that matches the types too
        (``?|``) and answers one JSON text, NULL when none. SQLite: the prebuilt select,
        the types matched here (a fleet has a handful of endpoints). With no endpoint,
        the common case, there is nothing to decode. A statement of the unit that wrote
        the events may have read them already (``SubscribedMemo``): then no statement."""
        if not event_types:
            return []
        types = frozenset(event_types)
        if types in self._subscribed:
            found = self._subscribed[types]
            return [] if found is None else _pg_endpoints(found)
        if EVERY_TYPE in self._subscribed:
            found = self._subscribed[EVERY_TYPE]
            every = [] if found is None else _pg_endpoints(found)
            return [e for e in every if any(e.wants(t) for t in types)]
        connection = await self._session.connection()
        if connection.dialect.name == "postgresql":
            row = await driver_fetchrow(connection, _PG_SUBSCRIBED, (list(event_types),))
            found = None if row is None else row[0]
            return [] if found is None else _pg_endpoints(found)
        endpoints = [_endpoint(row) for row in await connection.execute(_SUBSCRIBED)]
        return [e for e in endpoints if any(e.wants(t) for t in event_types)]

    async def secret(self, endpoint_id: UUID) -> str | None:
        found = await self._session.scalar(
            select(_E.c.secret).where(_E.c.id == endpoint_id, _PRESENT)
        )
        return None if found is None else str(found)

    async def set_secret(self, endpoint_id: UUID, secret: str) -> None:
        await self._session.execute(update(_E).where(_E.c.id == endpoint_id).values(secret=secret))


class SqlWebhookDeliveryQueue:
    """``WebhookDeliveryQueue`` on ``webhook_deliveries``.

    A claim marks rows with a token and a lease end in one UPDATE. The rows it takes
    are due, pending, of an active endpoint, and the head of their line: no pending
    row of the same endpoint and shift has a smaller seq (the unique index answers
    that). On PostgreSQL they are chosen ``FOR UPDATE SKIP LOCKED``, so concurrent
    senders take different rows without waiting; a head another sender holds is still
    pending, so what queues behind it stays behind it. SQLite has one writer at a time,
    and the lease condition in the same statement guards it.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_all(self, deliveries: Sequence[WebhookDelivery]) -> None:
        """The webhook reaction's write: one cached INSERT run for every delivery on the
        unit's connection, not a multi-VALUES statement compiled through the session."""
        if deliveries:
            connection = await self._session.connection()
            await connection.execute(_ADD_DELIVERY, [_delivery_values(d) for d in deliveries])

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[DeliveryClaim]:
        token, until = uuid4(), now + lease
        earlier = _D.alias("earlier")
        ahead = exists().where(
            earlier.c.endpoint_id == _D.c.endpoint_id,
            earlier.c.shift_id == _D.c.shift_id,
            earlier.c.state == _PENDING,
            earlier.c.seq < _D.c.seq,
        )
        due = (
            select(_D.c.id)
            .join(_E, _E.c.id == _D.c.endpoint_id)
            .where(
                _D.c.state == _PENDING,
                _D.c.next_attempt_at <= now,
                or_(_D.c.claimed_until.is_(None), _D.c.claimed_until <= now),
                _E.c.active.is_(True),
                ~ahead,
            )
            .order_by(_D.c.next_attempt_at, _D.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=_D)
            .scalar_subquery()
        )
        result = await self._session.execute(
            update(_D)
            .where(_D.c.id.in_(due))
            .values(claim_token=token, claimed_until=until)
            .returning(*_DELIVERY)
        )
        deliveries = sorted(
            (_delivery(row) for row in result), key=lambda d: (d.next_attempt_at, d.id)
        )
        return [DeliveryClaim(delivery=d, token=token, until=until) for d in deliveries]

    async def finish(self, claim: DeliveryClaim, updated: WebhookDelivery) -> bool:
        values = _delivery_values(updated)
        del values["id"]
        result = await self._session.execute(
            update(_D)
            .where(_D.c.id == claim.delivery.id, _D.c.claim_token == claim.token)
            .values(**values, claim_token=None, claimed_until=None)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def get(self, delivery_id: UUID) -> WebhookDelivery | None:
        row = (
            await self._session.execute(select(*_DELIVERY).where(_D.c.id == delivery_id))
        ).first()
        return None if row is None else _delivery(row)

    async def put(self, delivery: WebhookDelivery) -> None:
        values = _delivery_values(delivery)
        del values["id"]
        await self._session.execute(
            update(_D)
            .where(_D.c.id == delivery.id)
            .values(**values, claim_token=None, claimed_until=None)
        )

    async def listing(
        self, endpoint_id: UUID, which: DeliveryFilter, page: PageRequest
    ) -> Page[WebhookDelivery]:
        conditions = [_D.c.endpoint_id == endpoint_id, *_matching(which)]
        total = await self._session.scalar(select(func.count()).select_from(_D).where(*conditions))
        result = await self._session.execute(
            select(*_DELIVERY)
            .where(*conditions)
            .order_by(_D.c.created_at.desc(), _D.c.shift_id.desc(), _D.c.seq.desc(), _D.c.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        return Page(
            items=[_delivery(row) for row in result],
            total=total or 0,
            limit=page.limit,
            offset=page.offset,
        )

    async def replay(self, endpoint_id: UUID, which: DeliveryFilter, now: datetime) -> int:
        result = await self._session.execute(
            update(_D)
            .where(_D.c.endpoint_id == endpoint_id, _D.c.state != _PENDING, *_matching(which))
            .values(
                state=_PENDING,
                next_attempt_at=now,
                give_up_at=now + GIVE_UP_AFTER,
                delivered_at=None,
                claim_token=None,
                claimed_until=None,
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def _matching(which: DeliveryFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if which.state is not None:
        conditions.append(_D.c.state == which.state.value)
    if which.since is not None:
        conditions.append(_D.c.created_at >= which.since)
    if which.until is not None:
        conditions.append(_D.c.created_at < which.until)
    return conditions


def _endpoint_values(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "event_types": list(endpoint.event_types),
        "description": endpoint.description,
        "active": endpoint.active,
        "created_at": endpoint.created_at,
        "created_by_kind": endpoint.created_by.kind.value,
        "created_by_id": endpoint.created_by.id,
        "updated_at": endpoint.updated_at,
    }


def _endpoint(row: Row[Any]) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=plain_uuid(row.id),
        url=row.url,
        event_types=tuple(row.event_types),
        description=row.description,
        active=bool(row.active),
        created_at=row.created_at,
        created_by=actor_from(row.created_by_kind, row.created_by_id),
        updated_at=row.updated_at,
    )


def _pg_endpoints(found: str) -> list[WebhookEndpoint]:
    return [
        WebhookEndpoint(
            id=e.id,
            url=e.url,
            event_types=e.event_types,
            description=e.description,
            active=True,
            created_at=e.created_at.astimezone(UTC),
            created_by=actor_from(e.created_by_kind, e.created_by_id),
            updated_at=e.updated_at.astimezone(UTC),
        )
        for e in _PG_SUBSCRIBED_DECODER.decode(found)
    ]


def _delivery_values(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "endpoint_id": delivery.endpoint_id,
        "shift_id": delivery.shift_id,
        "seq": delivery.seq,
        "event_type": delivery.event_type,
        "occurred_at": delivery.occurred_at,
        "state": delivery.state.value,
        "attempts": delivery.attempts,
        "created_at": delivery.created_at,
        "next_attempt_at": delivery.next_attempt_at,
        "give_up_at": delivery.give_up_at,
        "last_attempt_at": delivery.last_attempt_at,
        "last_status": delivery.last_status,
        "last_error": delivery.last_error,
        "delivered_at": delivery.delivered_at,
    }


def _delivery(row: Row[Any]) -> WebhookDelivery:
    return WebhookDelivery(
        id=plain_uuid(row.id),
        endpoint_id=plain_uuid(row.endpoint_id),
        shift_id=plain_uuid(row.shift_id),
        seq=row.seq,
        event_type=row.event_type,
        occurred_at=row.occurred_at,
        state=DeliveryState(row.state),
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        give_up_at=row.give_up_at,
        last_attempt_at=row.last_attempt_at,
        last_status=row.last_status,
        last_error=row.last_error,
        delivered_at=row.delivered_at,
    )
