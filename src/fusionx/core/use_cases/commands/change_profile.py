from __future__ import annotations

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.notifications import AlertKind
from fusionx.core.model.preferences import ChannelChoice, QuietHours
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.phone_numbers import e164
from fusionx.core.rules.validation import require_text, require_timezone
from fusionx.core.use_cases.queries.view_profile import Profile, load_profile
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWork

UNSET = msgspec.UNSET


class ProfileChanges(msgspec.Struct, frozen=True, kw_only=True):
    """What to change; a field left UNSET stays as it is. ``channels`` are merged in."""

    name: str | msgspec.UnsetType = UNSET
    phone: str | msgspec.UnsetType | None = UNSET
    channels: dict[AlertKind, ChannelChoice] | msgspec.UnsetType = UNSET
    quiet_hours: QuietHours | msgspec.UnsetType | None = UNSET
    locale: str | msgspec.UnsetType | None = UNSET


class ChangeProfile:
    """A staff member changes their own profile and notification choices.

    Rules:
    - staff only (a device has no profile), and only their own;
    - the name is 1 to 200 characters; the phone is an E.164 number (kept in that
      form: spaces and dashes dropped) or null to remove it;
    - channels are chosen per alert kind (push, sms or none) and merged with the ones
      already chosen; quiet hours name an IANA time zone, or null for none;
    - the locale (the language of their problems and alerts) is one the translator
      supports, or null to follow their client's languages.
    """

    def __init__(self, uow: UnitOfWork, translator: Translator) -> None:
        self._uow = uow
        self._locales = translator.locales

    async def execute(self, principal: Principal, changes: ProfileChanges) -> Profile:
        staff_id = require_staff(principal).staff.id
        async with self._uow as uow:
            current = await load_profile(uow, staff_id)
            staff, preferences = current.staff, current.preferences
            if changes.name is not UNSET:
                staff = msgspec.structs.replace(staff, name=require_text("name", changes.name))
            if changes.phone is not UNSET:
                staff = msgspec.structs.replace(staff, phone=_phone(changes.phone))
            if changes.locale is not UNSET:
                staff = msgspec.structs.replace(staff, locale=self._locale(changes.locale))
            if changes.channels is not UNSET:
                preferences = msgspec.structs.replace(
                    preferences, channels=preferences.channels | changes.channels
                )
            if changes.quiet_hours is not UNSET:
                if changes.quiet_hours is not None:
                    require_timezone(
                        changes.quiet_hours.timezone, "notifications.quiet_hours.timezone"
                    )
                preferences = msgspec.structs.replace(preferences, quiet_hours=changes.quiet_hours)
            await uow.staff.update(staff)
            await uow.preferences.put(preferences)
            await uow.commit()
        return Profile(staff=staff, preferences=preferences)

    def _locale(self, locale: str | None) -> str | None:
        if locale is not None and locale not in self._locales:
            choices = ", ".join(self._locales)
            raise InvalidInput("locale", Message("input.one_of", {"choices": choices}))
        return locale


def _phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    number = e164(phone)
    if number is None:
        raise InvalidInput("phone", Message("input.e164"))
    return number
