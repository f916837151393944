from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.events import ShiftEvent
from fusionx.core.model.notifications import AlertKind, Channel, Notification, NotificationState
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.preferences import ChannelChoice
from fusionx.core.model.shifts import Shift
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.phone_numbers import e164
from fusionx.core.use_cases.alert_events import HANDLED, Alert, alert_for
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork

_DEVICE_PAGE = 200


class PlanNotifications:
    """Decide who is told what about the events a unit of work is committing.

    An ``EventReaction``: the notifications are written to the outbox in the same
    transaction as the events, so a committed change always has its notifications and
    a rolled-back one never does. Rules:
    - a new order on an open shift: a push to each of the truck's devices holding a
      working push token, and to the truck's staff who want new-order alerts;
    - stock falling to or below an item's threshold (the shift's, else the item's,
      else 5) alerts the truck's staff once, on the crossing, not on every later sale;
      selling out alerts too;
    - a device going stale during a shift alerts the shift's managers: the truck's
      managers, and whoever opened the shift if they are a manager or above;
    - each staff member's choice per alert kind holds: push (SMS when they have no
      working push token), SMS, or nothing; nothing is sent in their quiet hours and
      no SMS goes to a number that is not E.164.
    """

    def __init__(self, ids: IdGenerator) -> None:
        self._ids = ids

    async def __call__(self, uow: UnitOfWork, events: Sequence[ShiftEvent]) -> None:
        shifts: dict[UUID, Shift | None] = {}
        for event in events:
            if event.type not in HANDLED:
                continue
            if event.shift_id not in shifts:
                shifts[event.shift_id] = await uow.shifts.get(event.shift_id)
            shift = shifts[event.shift_id]
            if shift is not None:
                await self._plan(uow, shift, event)

    async def _plan(self, uow: UnitOfWork, shift: Shift, event: ShiftEvent) -> None:
        alert = await alert_for(uow, shift, event)
        if alert is None:
            return
        if alert.kind is AlertKind.NEW_ORDER:
            await self._to_devices(uow, alert)
        staff = (
            await self._managers(uow, shift)
            if alert.kind is AlertKind.DEVICE_STALE
            else await self._crew(uow, shift)
        )
        await self._to_staff(uow, alert, staff)

    async def _to_devices(self, uow: UnitOfWork, alert: Alert) -> None:
        devices = await uow.devices.list_for_truck(alert.shift.truck_id, _first_page())
        for device in devices.items:
            if device.revoked:
                continue
            owner = Actor(kind=PrincipalKind.DEVICE, id=device.id)
            token = await uow.push_tokens.get(owner)
            if token is not None and token.usable:
                await self._add(uow, alert, Channel.PUSH, owner)

    async def _to_staff(self, uow: UnitOfWork, alert: Alert, staff: Sequence[StaffMember]) -> None:
        for member in staff:
            channel = await staff_channel(uow, member, alert.kind, alert.at)
            if channel is not None:
                owner = Actor(kind=PrincipalKind.STAFF, id=member.id)
                await self._add(uow, alert, channel, owner)

    async def _add(self, uow: UnitOfWork, alert: Alert, channel: Channel, recipient: Actor) -> None:
        await uow.outbox.add(
            Notification(
                id=self._ids.new_id(),
                truck_id=alert.shift.truck_id,
                shift_id=alert.shift.id,
                kind=alert.kind,
                channel=channel,
                recipient=recipient,
                message=alert.message,
                state=NotificationState.PENDING,
                created_at=alert.at,
                next_attempt_at=alert.at,
            )
        )

    @staticmethod
    async def _crew(uow: UnitOfWork, shift: Shift) -> list[StaffMember]:
        """On duty: the active staff assigned to the shift's truck."""
        return await uow.staff.on_truck(shift.truck_id)

    @staticmethod
    async def _managers(uow: UnitOfWork, shift: Shift) -> list[StaffMember]:
        managers = [s for s in await uow.staff.on_truck(shift.truck_id) if _manages(s)]
        if shift.opened_by.kind is PrincipalKind.STAFF and all(
            m.id != shift.opened_by.id for m in managers
        ):
            opener = await uow.staff.get(shift.opened_by.id)
            if opener is not None and opener.active and _manages(opener):
                managers.append(opener)
        return managers


async def staff_channel(
    uow: UnitOfWork, member: StaffMember, kind: AlertKind, at: datetime
) -> Channel | None:
    """The channel ``member`` is told about ``kind`` on at ``at``, or None."""
    preferences = await uow.preferences.get(member.id)
    choice = preferences.choice(kind)
    if choice is ChannelChoice.NONE or preferences.quiet_at(at):
        return None
    can_text = e164(member.phone) is not None
    if choice is ChannelChoice.SMS:
        return Channel.SMS if can_text else None
    token = await uow.push_tokens.get(Actor(kind=PrincipalKind.STAFF, id=member.id))
    if token is not None and token.usable:
        return Channel.PUSH
    return Channel.SMS if can_text else None


def _manages(member: StaffMember) -> bool:
    return member.role.at_least(Role.MANAGER)


def _first_page() -> PageRequest:
    return PageRequest(limit=_DEVICE_PAGE)
