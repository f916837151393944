"""The caller as ``GET /api/v1/me`` shows them (staff or device, told apart by ``kind``),
and what a staff member may change of their own profile: name, phone, language,
notification choices and password."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Self

import msgspec

from fusionx.core.model.notifications import AlertKind
from fusionx.core.model.preferences import ChannelChoice, QuietHours
from fusionx.core.rules.phone_numbers import E164_INPUT_PATTERN
from fusionx.core.rules.validation import (
    EMAIL_INPUT_PATTERN,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
)
from fusionx.core.use_cases.commands.change_password import ChangePasswordRequest
from fusionx.core.use_cases.commands.change_profile import ProfileChanges
from fusionx.core.use_cases.commands.request_email_change import EmailChangeRequest
from fusionx.core.use_cases.queries.view_profile import Profile
from fusionx.entrypoints.http.schemas.devices import DeviceView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import HourMinute, text
from fusionx.entrypoints.http.schemas.staff import StaffView

UNSET = msgspec.UNSET
Phone = Annotated[
    str,
    text(
        32,
        pattern=E164_INPUT_PATTERN,
        description="E.164: + then 7 to 15 digits; spaces, dots, dashes and brackets are dropped",
        examples=["+447700900123"],
    ),
]


class QuietHoursBody(RequestBody, frozen=True, kw_only=True):
    """Daily, in ``timezone``; ``start`` after ``end`` spans midnight."""

    start: HourMinute
    end: HourMinute
    timezone: Annotated[
        str, text(64, description="An IANA time zone name", examples=["Europe/London"])
    ] = "UTC"

    def to_model(self) -> QuietHours:
        return QuietHours(start=_time(self.start), end=_time(self.end), timezone=self.timezone)

    @classmethod
    def of(cls, quiet: QuietHours) -> Self:
        return cls(
            start=quiet.start.strftime("%H:%M"), end=quiet.end.strftime("%H:%M"),
            timezone=quiet.timezone,
        )  # fmt: skip


class NotificationChoices(msgspec.Struct, frozen=True, kw_only=True):
    """Per alert kind: ``push`` (SMS when push cannot reach you), ``sms`` or ``none``."""

    channels: dict[AlertKind, ChannelChoice]
    quiet_hours: QuietHoursBody | None


class NotificationChoicesPatch(RequestBody, frozen=True, kw_only=True):
    channels: dict[AlertKind, ChannelChoice] | msgspec.UnsetType = UNSET
    quiet_hours: QuietHoursBody | msgspec.UnsetType | None = UNSET


class ProfilePatch(RequestBody, frozen=True, kw_only=True):
    """Only the fields sent change; ``phone: null`` removes the phone number."""

    name: Annotated[str, text(200)] | msgspec.UnsetType = UNSET
    phone: Phone | msgspec.UnsetType | None = UNSET
    notifications: NotificationChoicesPatch | msgspec.UnsetType = UNSET
    locale: (
        Annotated[
            str,
            text(16, description="A supported locale: en, es or fr", examples=["es"]),
        ]
        | msgspec.UnsetType
        | None
    ) = UNSET

    def to_changes(self) -> ProfileChanges:
        notifications = self.notifications or NotificationChoicesPatch()
        quiet = notifications.quiet_hours
        return ProfileChanges(
            name=self.name,
            phone=self.phone,
            channels=notifications.channels,
            quiet_hours=quiet.to_model() if isinstance(quiet, QuietHoursBody) else quiet,
            locale=self.locale,
        )


class PasswordChangeBody(RequestBody, frozen=True, kw_only=True):
    current_password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
    # The core checks the least length, with a message that says it.
    new_password: Annotated[
        str,
        msgspec.Meta(
            max_length=MAX_PASSWORD_LENGTH, extra_json_schema={"minLength": MIN_PASSWORD_LENGTH}
        ),
    ]

    def to_request(self) -> ChangePasswordRequest:
        return ChangePasswordRequest(
            current_password=self.current_password, new_password=self.new_password
        )


class EmailChangeBody(RequestBody, frozen=True, kw_only=True):
    """A link goes to ``new_email``; the address changes when it is used."""

    new_email: Annotated[str, text(254, pattern=EMAIL_INPUT_PATTERN)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_PASSWORD_LENGTH)]

    def to_request(self, languages: tuple[str, ...] = ()) -> EmailChangeRequest:
        return EmailChangeRequest(
            new_email=self.new_email, password=self.password, languages=languages
        )


def _time(hour_minute: str) -> time:
    hour, minute = hour_minute.split(":")
    return time(int(hour), int(minute))


class StaffMe(StaffView, frozen=True, kw_only=True, tag_field="kind", tag="staff"):
    """A signed-in staff member (``kind: "staff"``), with their notification choices."""

    notifications: NotificationChoices
    # The language of your problems and alerts; null: your client's Accept-Language.
    locale: str | None = None

    @classmethod
    def of_profile(cls, profile: Profile) -> Self:
        staff, preferences = profile.staff, profile.preferences
        quiet = preferences.quiet_hours
        return cls(
            id=staff.id,
            email=staff.email,
            name=staff.name,
            phone=staff.phone,
            role=staff.role,
            truck_ids=sorted(staff.truck_ids),
            active=staff.active,
            locale=staff.locale,
            notifications=NotificationChoices(
                channels=preferences.all_choices(),
                quiet_hours=None if quiet is None else QuietHoursBody.of(quiet),
            ),
        )


class DeviceMe(DeviceView, frozen=True, kw_only=True, tag_field="kind", tag="device"):
    """A registered kitchen device (``kind: "device"``)."""


Me = StaffMe | DeviceMe
