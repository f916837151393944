"""What each staff member wants to be told, how, and when not."""

from __future__ import annotations

import enum
from datetime import datetime, time
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec

from fusionx.core.model.notifications import STAFF_ALERTS, AlertKind


class ChannelChoice(enum.StrEnum):
    PUSH = "push"  # push, falling back to SMS when push cannot reach them
    SMS = "sms"
    NONE = "none"


DEFAULT_CHANNELS: dict[AlertKind, ChannelChoice] = {
    AlertKind.NEW_ORDER: ChannelChoice.PUSH,
    AlertKind.LOW_STOCK: ChannelChoice.PUSH,
    AlertKind.SOLD_OUT: ChannelChoice.PUSH,
    AlertKind.DEVICE_STALE: ChannelChoice.PUSH,
}


class QuietHours(msgspec.Struct, frozen=True, kw_only=True):
    """A daily window, in the staff member's time zone, in which nothing is sent.

    ``start`` after ``end`` spans midnight (22:00 to 07:00); equal times mean never.
    """

    start: time
    end: time
    timezone: str = "UTC"

    def covers(self, at: datetime) -> bool:
        local = at.astimezone(ZoneInfo(self.timezone)).time().replace(tzinfo=None)
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


class NotificationPreferences(msgspec.Struct, frozen=True, kw_only=True):
    staff_id: UUID
    channels: dict[AlertKind, ChannelChoice] = {}
    quiet_hours: QuietHours | None = None

    def choice(self, kind: AlertKind) -> ChannelChoice:
        return self.channels.get(kind, DEFAULT_CHANNELS[kind])

    def all_choices(self) -> dict[AlertKind, ChannelChoice]:
        return {kind: self.choice(kind) for kind in STAFF_ALERTS}

    def quiet_at(self, at: datetime) -> bool:
        return self.quiet_hours is not None and self.quiet_hours.covers(at)
