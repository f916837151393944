from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from fusionx.core.model.actors import Actor
from fusionx.core.model.audience import Audience, StaffContact
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.events import ShiftEvent
from fusionx.core.model.notifications import (
    AlertKind,
    AlertText,
    Channel,
    Notification,
    NotificationState,
)
from fusionx.core.model.shifts import Shift
from fusionx.core.rules.alert_channels import channel_for
from fusionx.core.use_cases.steps.alert_events import (
    HANDLED,
    Alert,
    Thresholds,
    alert_for,
    thresholds_for,
)
from fusionx.core.use_cases.steps.customer_messages import ready_messages
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWork


class PlanNotifications:
    """Decide who is told what about the events a unit of work is committing.

    An ``EventReaction``: the notifications are written to the outbox in the same
    transaction as the events, so a committed change always has its notifications and
    a rolled-back one never does. Rules:
    - a new order on an open shift: a push to each of the truck's devices holding a
      working push token, and to the truck's staff (those assigned to it) who want
      new-order alerts;
    - stock falling to or below an item's threshold (the shift's, else the item's,
      else 5) alerts the truck's staff once, on the crossing, not on every later sale;
      selling out alerts too;
    - a device going stale during a shift alerts the shift's managers: the truck's
      managers, and whoever opened the shift if they are a manager or above;
    - each staff member's choice per alert kind holds: push (SMS when they have no
      working push token), SMS, or nothing; nothing is sent in their quiet hours and
      no SMS goes to a number that is not E.164;
    - each staff member reads the alert in their own language (their ``locale``), devices
      in the default one. The text is rendered here, once per recipient, so the outbox
      keeps exactly what was sent and the dispatcher, retries and SMS fallback included,
      never needs a catalogue.
    - an order's customer who opted in on its tracking is told when its ticket first
      becomes ready, by SMS or email, in their language (``steps/customer_messages``);
    Who can be told is read once per truck per commit, the thresholds once per shift
    for all its stock changes, and the notifications are added in one write: this runs
    in the transaction of every order.
    """

    def __init__(self, ids: IdGenerator, translator: Translator) -> None:
        self._ids = ids
        self._translator = translator

    async def __call__(self, uow: UnitOfWork, events: Sequence[ShiftEvent]) -> None:
        shifts: dict[UUID, Shift | None] = {}
        thresholds: dict[UUID, Thresholds] = {}
        audiences: dict[UUID, Audience] = {}
        planned: list[Notification] = []
        for event in events:
            if event.type not in HANDLED:
                continue
            if event.shift_id not in shifts:
                shifts[event.shift_id] = found = await uow.shifts.get(event.shift_id)
                if found is not None:
                    thresholds[found.id] = await thresholds_for(uow, found.id, events)
            shift = shifts[event.shift_id]
            if shift is None:
                continue
            alert = await alert_for(uow, shift, event, thresholds[shift.id])
            if alert is None:
                continue
            if shift.truck_id not in audiences:
                audiences[shift.truck_id] = await uow.audience.of_truck(shift.truck_id)
            planned += await self._tell(uow, alert, audiences[shift.truck_id])
        planned += await ready_messages(uow, events, self._ids, self._translator)
        await uow.outbox.add_all(planned)

    async def _tell(self, uow: UnitOfWork, alert: Alert, audience: Audience) -> list[Notification]:
        told = []
        if alert.kind is AlertKind.NEW_ORDER:
            for device_id in audience.devices:
                device = Actor(kind=PrincipalKind.DEVICE, id=device_id)
                told.append(self._notification(alert, Channel.PUSH, device, None))
        staff: Sequence[StaffContact] = audience.staff
        if alert.kind is AlertKind.DEVICE_STALE:
            staff = await _managers(uow, alert.shift, audience)
        for contact in staff:
            channel = channel_for(contact, alert.kind, alert.at)
            if channel is not None:
                staff_member = Actor(kind=PrincipalKind.STAFF, id=contact.staff_id)
                told.append(self._notification(alert, channel, staff_member, contact.locale))
        return told

    def _notification(
        self, alert: Alert, channel: Channel, recipient: Actor, locale: str | None
    ) -> Notification:
        content = alert.content
        chosen = self._translator.choose([locale] if locale else [])
        message = AlertText(
            title=self._translator.render(content.title, chosen),
            body=self._translator.render(content.body, chosen),
            data=content.data,
            collapse_key=content.collapse_key,
        )
        return Notification(
            id=self._ids.new_id(),
            truck_id=alert.shift.truck_id,
            shift_id=alert.shift.id,
            kind=alert.kind,
            channel=channel,
            recipient=recipient,
            message=message,
            state=NotificationState.PENDING,
            created_at=alert.at,
            next_attempt_at=alert.at,
        )


async def _managers(uow: UnitOfWork, shift: Shift, audience: Audience) -> list[StaffContact]:
    """The truck's managers, and whoever opened the shift if they are a manager."""
    managers = [contact for contact in audience.staff if contact.manages]
    opener = shift.opened_by
    if opener.kind is PrincipalKind.STAFF and all(m.staff_id != opener.id for m in managers):
        contact = await uow.audience.contact(opener.id)
        if contact is not None and contact.manages:
            managers.append(contact)
    return managers
