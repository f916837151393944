"""Tracking links: issuing one for an order, and knowing whose a token is."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.errors import NotFound
from fusionx.core.model.orders import Order
from fusionx.core.model.principals import GuestPrincipal
from fusionx.core.model.tracking import (
    MAX_TOKEN_LENGTH,
    ContactChannel,
    OrderTracking,
    tracking_hash,
)
from fusionx.core.rules.phone_numbers import e164
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.tracking_links import TrackingLinks
from fusionx.ports.unit_of_work import UnitOfWork

# What a locale tag may be here: BCP 47 is never longer; the translator picks the best
# supported language from it when a message is written.
_MAX_LOCALE_LENGTH = 16
# Shown instead of the token in a 404: the answer never repeats a credential.
UNKNOWN_TOKEN = "fxt_…"  # noqa: S105 - a placeholder, not a secret


async def issue_tracking(
    uow: UnitOfWork,
    ids: IdGenerator,
    links: TrackingLinks,
    order: Order,
    *,
    locale: str | None,
    notify: bool,
    at: datetime | None = None,
) -> str:
    """Give ``order`` its tracking link, in ``uow``; return the token, the one time it
    is handed out (only its SHA-256 is kept; ``links`` makes it from the order's id
    with the server's key, so that a message can carry it later without storing it).

    Messages go to the order's phone when it is an E.164 number, else to its email;
    ``notify`` is the customer's opt-in for them (ready, and a slipped ready time).
    ``at`` defaults to when the order was placed.
    """
    token = links.token_for(order.id)
    phone = e164(order.customer_phone)
    contact, channel = (
        (phone, ContactChannel.SMS)
        if phone
        else (order.customer_email, ContactChannel.EMAIL if order.customer_email else None)
    )
    tag = (locale or "").strip()
    await uow.tracking.add(
        OrderTracking(
            id=ids.new_id(),
            order_id=order.id,
            token_hash=tracking_hash(token),
            created_at=at or order.created_at,
            contact=contact,
            channel=channel,
            locale=tag if 0 < len(tag) <= _MAX_LOCALE_LENGTH else None,
            notify=notify,
            told_ready_at=order.promised_ready_at,
        )
    )
    return token


async def tracking_of(uow: UnitOfWork, token: str) -> OrderTracking:
    """The tracking a token opens, else 404: the same answer, after the same one indexed
    read by hash, for a token that never existed, one of another shape, or garbage."""
    found = await uow.tracking.by_hash(tracking_hash(token[:MAX_TOKEN_LENGTH]))
    if found is None or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound("tracking link", UNKNOWN_TOKEN)
    return found


async def guest_of(uow: UnitOfWork, token: str) -> GuestPrincipal:
    return (await tracking_of(uow, token)).guest()
