"""SQL repositories of who notifications reach and when: push tokens, preferences,
the SMS blocklist and low-stock thresholds."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID

import msgspec
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Table,
    any_,
    bindparam,
    delete,
    insert,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import actor_from, plain_uuid, row_values
from fusionx.adapters.sql.tables import (
    ItemStockThresholdRow,
    NotificationPreferenceRow,
    PushTokenRow,
    ShiftStockThresholdRow,
    SmsBlockedNumberRow,
)
from fusionx.core.model.actors import Actor
from fusionx.core.model.preferences import NotificationPreferences, QuietHours
from fusionx.core.model.push_tokens import PushToken

_T = cast(Table, PushTokenRow.__table__)
_P = cast(Table, NotificationPreferenceRow.__table__)
_B = cast(Table, SmsBlockedNumberRow.__table__)
_ITEM = cast(Table, ItemStockThresholdRow.__table__)
_SHIFT = cast(Table, ShiftStockThresholdRow.__table__)


class SqlPushTokenRepository:
    """``PushTokenRepository`` on ``push_tokens``, keyed by owner."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, token: PushToken) -> None:
        await self.remove(token.owner)
        await self._session.execute(
            insert(_T),
            [row_values(token)],
        )

    async def get(self, owner: Actor) -> PushToken | None:
        row = (
            await self._session.execute(
                select(_T).where(_T.c.owner_kind == owner.kind.value, _T.c.owner_id == owner.id)
            )
        ).first()
        if row is None:
            return None
        r = row._mapping
        return PushToken(
            owner=actor_from(r["owner_kind"], r["owner_id"]),
            token=r["token"],
            platform=r["platform"],
            app_version=r["app_version"],
            os_version=r["os_version"],
            registered_at=r["registered_at"],
            disabled_at=r["disabled_at"],
            disabled_reason=r["disabled_reason"],
            invalid_since=r["invalid_since"],
        )

    async def remove(self, owner: Actor) -> None:
        await self._session.execute(
            delete(_T).where(_T.c.owner_kind == owner.kind.value, _T.c.owner_id == owner.id)
        )


class SqlNotificationPreferenceRepository:
    """``NotificationPreferenceRepository`` on ``notification_preferences``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, staff_id: UUID) -> NotificationPreferences:
        row = (
            await self._session.execute(
                select(_P.c.channels, _P.c.quiet_hours).where(_P.c.staff_id == staff_id)
            )
        ).first()
        if row is None:
            return NotificationPreferences(staff_id=staff_id)
        channels, quiet = row
        return msgspec.convert(
            {"staff_id": str(staff_id), "channels": channels, "quiet_hours": quiet},
            NotificationPreferences,
        )

    async def put(self, preferences: NotificationPreferences) -> None:
        await self._session.execute(delete(_P).where(_P.c.staff_id == preferences.staff_id))
        quiet: QuietHours | None = preferences.quiet_hours
        await self._session.execute(
            insert(_P),
            [
                {
                    "staff_id": preferences.staff_id,
                    "channels": msgspec.to_builtins(preferences.channels),
                    "quiet_hours": None if quiet is None else msgspec.to_builtins(quiet),
                }
            ],
        )


class SqlSmsNumberBlocklist:
    """``SmsNumberBlocklist`` on ``sms_blocked_numbers``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def block(self, phone: str, reason: str, at: datetime) -> None:
        await self.unblock(phone)
        await self._session.execute(
            insert(_B), [{"phone": phone, "reason": reason[:200], "blocked_at": at}]
        )

    async def reason(self, phone: str) -> str | None:
        found: str | None = await self._session.scalar(
            select(_B.c.reason).where(_B.c.phone == phone)
        )
        return found

    async def unblock(self, phone: str) -> None:
        await self._session.execute(delete(_B).where(_B.c.phone == phone))


def _thresholds(
    shift: ColumnElement[Any], among: Callable[[ColumnElement[Any]], ColumnElement[bool]]
) -> CompoundSelect[Any]:
    """The items' defaults, ranked 0, then the shift's own, ranked 1, which win; for the
    items ``among`` selects."""
    return union_all(
        select(literal(0).label("rank"), _ITEM.c.item_id, _ITEM.c.threshold).where(
            among(_ITEM.c.item_id)
        ),
        select(literal(1).label("rank"), _SHIFT.c.item_id, _SHIFT.c.threshold).where(
            _SHIFT.c.shift_id == shift, among(_SHIFT.c.item_id)
        ),
    )


_THRESHOLDS = _thresholds(
    bindparam("shift"), lambda item: item.in_(bindparam("items", expanding=True))
).order_by("rank")


def pg_thresholds_of(shift: str, items: str) -> str:
    """PostgreSQL: ``_THRESHOLDS``' rows as one JSON text (NULL when none), for a
    statement that reads them ahead of its commit (an order's intake). ``shift`` and
    ``items`` (an array): SQL expressions of that statement."""
    rows = _thresholds(literal_column(shift), lambda item: item == any_(literal_column(items)))
    compiled = rows.compile(
        dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"literal_binds": True},
    )
    return f"""
    SELECT json_agg(json_build_array(t.rank, t.item_id, t.threshold) ORDER BY t.rank)::text
    FROM ({compiled}) AS t"""  # noqa: S608 - our statement and the caller's SQL expressions


# What a unit of work read ahead of the reaction to its events: a shift's thresholds of
# some items (their ids; ``pg_thresholds_of``'s answer), by shift. A write to the
# thresholds in the unit empties it.
ThresholdsMemo = dict[UUID, tuple[frozenset[UUID], str | None]]
_THRESHOLD_ROWS = msgspec.json.Decoder(list[tuple[int, UUID, int]])


class SqlStockThresholds:
    """``StockThresholds`` on ``item_stock_thresholds`` and ``shift_stock_thresholds``;
    ``for_shift`` answers from what the unit read ahead when it covers the items
    (``ThresholdsMemo``)."""

    def __init__(self, session: AsyncSession, ahead: ThresholdsMemo | None = None) -> None:
        self._session = session
        self._ahead: ThresholdsMemo = {} if ahead is None else ahead

    async def for_shift(self, shift_id: UUID, item_ids: set[UUID]) -> dict[UUID, int | None]:
        found: dict[UUID, int | None] = dict.fromkeys(item_ids)
        if not item_ids:
            return found
        covered, rows = self._ahead.get(shift_id, (frozenset(), None))
        if item_ids <= covered:
            read: Iterable[Sequence[Any]] = _THRESHOLD_ROWS.decode(rows or "[]")
        else:
            # One round trip: the items' defaults, then the shift's own, which win.
            read = await self._session.execute(
                _THRESHOLDS, {"shift": shift_id, "items": list(item_ids)}
            )
        for _, item_id, threshold in read:
            key = plain_uuid(item_id)
            if key in found:  # what was read ahead may cover more items
                found[key] = threshold
        return found

    async def item_default(self, item_id: UUID) -> int | None:
        query = select(_ITEM.c.threshold).where(_ITEM.c.item_id == item_id)
        threshold = await self._session.scalar(query)
        return None if threshold is None else int(threshold)

    async def set_item_default(self, item_id: UUID, threshold: int | None) -> None:
        self._ahead.clear()
        await self._session.execute(delete(_ITEM).where(_ITEM.c.item_id == item_id))
        if threshold is not None:
            await self._session.execute(
                insert(_ITEM), [{"item_id": item_id, "threshold": threshold}]
            )

    async def set_for_shift(self, shift_id: UUID, item_id: UUID, threshold: int | None) -> None:
        self._ahead.clear()
        await self._session.execute(
            delete(_SHIFT).where(_SHIFT.c.shift_id == shift_id, _SHIFT.c.item_id == item_id)
        )
        if threshold is not None:
            await self._session.execute(
                insert(_SHIFT),
                [{"shift_id": shift_id, "item_id": item_id, "threshold": threshold}],
            )
