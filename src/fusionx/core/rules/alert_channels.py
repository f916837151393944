"""How a staff member is told about an alert, if at all."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.model.audience import StaffContact
from fusionx.core.model.notifications import AlertKind, Channel
from fusionx.core.model.preferences import ChannelChoice
from fusionx.core.rules.phone_numbers import e164


def channel_for(contact: StaffContact, kind: AlertKind, at: datetime) -> Channel | None:
    """Their choice for ``kind``: push (SMS when they have no working push token), SMS,
    or nothing; nothing in their quiet hours, and no SMS without an E.164 number."""
    choice = contact.preferences.choice(kind)
    if choice is ChannelChoice.NONE or contact.preferences.quiet_at(at):
        return None
    if choice is ChannelChoice.PUSH and contact.has_push:
        return Channel.PUSH
    return Channel.SMS if e164(contact.phone) is not None else None


def may_text_instead(contact: StaffContact, kind: AlertKind, at: datetime) -> bool:
    """Whether a push that failed for good may be replaced by an SMS."""
    choice = contact.preferences.choice(kind)
    return (
        choice is not ChannelChoice.NONE
        and not contact.preferences.quiet_at(at)
        and e164(contact.phone) is not None
    )
