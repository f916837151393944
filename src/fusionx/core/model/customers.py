"""Customer accounts: people who order from the trucks and keep their orders and points.

A customer signs in without a password, by a one-time code sent to an email address or a
phone number (``sign_in_codes``). The account is made on the first successful sign-in,
so there is nothing to enumerate: every address gets a code alike. An account is known
by its email, its phone, or both; each is unique among customers, compared in its
normalised form (an email in lower case, a phone in E.164: ``rules.destinations``).
"""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec

MAX_NAME_LENGTH = 100


class Channel(enum.StrEnum):
    """How a code reaches the customer."""

    EMAIL = "email"
    SMS = "sms"


class Destination(msgspec.Struct, frozen=True, kw_only=True):
    """Where a code goes: an email address (lower case) or a phone number (E.164)."""

    channel: Channel
    address: str

    @property
    def key(self) -> str:
        """``email:<address>`` or ``sms:<number>``: how codes and limits name it."""
        return f"{self.channel.value}:{self.address}"


class Customer(msgspec.Struct, frozen=True, kw_only=True):
    """A customer account. ``name`` is what the customer chose to be called (none until
    they say); ``locale`` the language of their messages (else the request's)."""

    id: UUID
    created_at: datetime
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    locale: str | None = None
    active: bool = True

    @classmethod
    def first_signed_in(
        cls, customer_id: UUID, destination: Destination, at: datetime, locale: str | None
    ) -> Customer:
        """The account a first successful sign-in makes, known by where its code went."""
        email = destination.address if destination.channel is Channel.EMAIL else None
        phone = destination.address if destination.channel is Channel.SMS else None
        return cls(id=customer_id, created_at=at, email=email, phone=phone, locale=locale)
