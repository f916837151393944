"""Who is told what: the rules of PlanNotifications, through the use cases that cause
the events, on the in-memory adapters."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from fusionx.core.errors import Conflict
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.devices import Heartbeat
from fusionx.core.model.events import DeviceStale, NewEvent
from fusionx.core.model.notifications import AlertKind, Channel, NotificationState
from fusionx.core.model.preferences import ChannelChoice, NotificationPreferences, QuietHours
from fusionx.core.model.principals import DevicePrincipal
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.record_heartbeat import RecordHeartbeat
from fusionx.core.use_cases.commands.revoke_device import RevokeDevice
from fusionx.core.use_cases.commands.sweep_stale_devices import SweepStaleDevices
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import ShiftWorld, as_principal, make_staff, open_shift_world
from tests.notifications.helpers import (
    a_device_with_token,
    a_push_token,
    give_phone,
    outbox,
    place,
    register_token,
    restock,
)


async def test_a_new_order_pushes_to_the_trucks_devices_and_staff_who_want_it(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters, stock=50)
    device = await a_device_with_token(adapters, world, a_push_token(1))
    crew = await make_staff(adapters, role=Role.CREW, trucks=[world.truck])
    await register_token(adapters, as_principal(crew), a_push_token(2))
    quiet_crew = await make_staff(adapters, role=Role.CREW, trucks=[world.truck])
    await register_token(adapters, as_principal(quiet_crew), a_push_token(3))
    async with adapters.uow() as uow:
        await uow.preferences.put(
            NotificationPreferences(
                staff_id=quiet_crew.id, channels={AlertKind.NEW_ORDER: ChannelChoice.NONE}
            )
        )
        await uow.commit()
    other_truck = await open_shift_world(adapters)
    await a_device_with_token(adapters, other_truck, a_push_token(4))

    placed = await place(adapters, world, quantity=2)

    sent = await outbox(adapters, world.truck.id)
    assert {(n.recipient.id, n.channel) for n in sent} == {
        (device.id, Channel.PUSH),
        (crew.id, Channel.PUSH),
    }
    assert all(n.kind is AlertKind.NEW_ORDER and n.state is NotificationState.PENDING for n in sent)
    assert sent[0].message.title == f"New order #{placed.order.number}"
    assert sent[0].message.data["order_id"] == str(placed.order.id)
    assert await outbox(adapters, other_truck.truck.id) == []


async def test_an_order_refused_for_stock_notifies_nobody(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=1)
    await a_device_with_token(adapters, world, a_push_token(1))

    with pytest.raises(Conflict):
        await place(adapters, world, quantity=5)

    assert await outbox(adapters, world.truck.id) == []


async def test_a_revoked_device_is_not_pushed_to(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=50)
    device = await a_device_with_token(adapters, world, a_push_token(1))
    await RevokeDevice(adapters.uow(), adapters.clock).execute(world.principal, device.id)

    await place(adapters, world)

    assert await outbox(adapters, world.truck.id) == []
    async with adapters.uow() as uow:
        assert await uow.push_tokens.get(Actor(kind=PrincipalKind.DEVICE, id=device.id)) is None


async def _ten_on_hand(
    adapters: Adapters, *, item_default: int, for_shift: int | None = None
) -> ShiftWorld:
    """An open shift with 10 of its first item, whose manager holds push token 9; the
    item alerts at ``item_default``, or at the shift's own ``for_shift``."""
    world = await open_shift_world(adapters, stock=10)
    await register_token(adapters, world.principal, a_push_token(9))
    async with adapters.uow() as uow:
        await uow.stock_thresholds.set_item_default(world.items[0].id, item_default)
        if for_shift is not None:
            await uow.stock_thresholds.set_for_shift(world.shift.id, world.items[0].id, for_shift)
        await uow.commit()
    return world


async def test_low_stock_alerts_once_on_crossing_the_shifts_threshold_then_sold_out(
    adapters: Adapters,
) -> None:
    world = await _ten_on_hand(adapters, item_default=8, for_shift=3)

    for _ in range(6):  # 10 → 4: above the shift's 3, although under the item's 8
        await place(adapters, world)
    assert _kinds(await outbox(adapters, world.truck.id), AlertKind.LOW_STOCK) == []
    await place(adapters, world)  # 3 left: crosses
    await place(adapters, world)  # 2 left: already told
    await place(adapters, world, quantity=2)  # 0 left: sold out

    alerts = [
        n for n in await outbox(adapters, world.truck.id) if n.kind is not AlertKind.NEW_ORDER
    ]
    assert _kinds(alerts) == [AlertKind.LOW_STOCK, AlertKind.SOLD_OUT]
    assert alerts[0].message.body == "3 left (alert at 3)."
    assert alerts[0].recipient.id == world.manager.id


async def test_the_items_default_threshold_holds_when_the_shift_sets_none(
    adapters: Adapters,
) -> None:
    world = await _ten_on_hand(adapters, item_default=8)

    await place(adapters, world, quantity=2)  # 8 left
    await restock(adapters, world, 5)  # 13: back above
    await place(adapters, world, quantity=5)  # 8 again: a second crossing

    assert (
        _kinds(await outbox(adapters, world.truck.id), AlertKind.LOW_STOCK)
        == [AlertKind.LOW_STOCK] * 2
    )


async def test_a_stale_device_alerts_the_shifts_managers_not_the_crew(adapters: Adapters) -> None:
    world = await open_shift_world(adapters)
    device = await a_device_with_token(adapters, world, a_push_token(1))
    await register_token(adapters, world.principal, a_push_token(2))
    crew = await make_staff(adapters, role=Role.CREW, trucks=[world.truck])
    await register_token(adapters, as_principal(crew), a_push_token(3))

    async with adapters.uow() as uow:
        await uow.events.append(
            NewEvent(
                shift_id=world.shift.id,
                at=adapters.clock.now(),
                data=DeviceStale(
                    device_id=device.id,
                    label=device.label,
                    last_seen_at=None,
                    stale_after_seconds=90,
                ),
            )
        )
        await uow.commit()

    sent = await outbox(adapters, world.truck.id)
    assert [(n.kind, n.recipient.id) for n in sent] == [(AlertKind.DEVICE_STALE, world.manager.id)]
    assert sent[0].message.title == f"{device.label} stopped responding"


async def test_staff_without_a_push_token_get_an_sms_and_quiet_hours_get_nothing(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters, stock=50)
    texter = await give_phone(
        adapters,
        await make_staff(adapters, role=Role.CREW, trucks=[world.truck]),
        "+44 7700 900123",
    )
    sleeper = await give_phone(
        adapters, await make_staff(adapters, role=Role.CREW, trucks=[world.truck]), "+447700900124"
    )
    # The clock says 12:00 UTC, which is 21:00 in Tokyo: inside 20:00 to 08:00.
    async with adapters.uow() as uow:
        await uow.preferences.put(
            NotificationPreferences(
                staff_id=sleeper.id,
                quiet_hours=QuietHours(start=time(20), end=time(8), timezone="Asia/Tokyo"),
            )
        )
        await uow.commit()

    await place(adapters, world)

    sent = await outbox(adapters, world.truck.id)
    assert [(n.recipient.id, n.channel) for n in sent] == [(texter.id, Channel.SMS)]


def test_quiet_hours_span_midnight_in_the_staff_members_zone() -> None:
    night = QuietHours(start=time(22), end=time(7), timezone="Europe/London")
    assert night.covers(datetime(2026, 7, 1, 21, 30, tzinfo=UTC))  # 22:30 BST
    assert night.covers(datetime(2026, 7, 1, 5, 59, tzinfo=UTC))  # 06:59 BST
    assert not night.covers(datetime(2026, 7, 1, 6, 0, tzinfo=UTC))  # 07:00 BST
    assert not QuietHours(start=time(9), end=time(9)).covers(datetime(2026, 7, 1, 9, tzinfo=UTC))


def _kinds(notifications: list, only: AlertKind | None = None) -> list[AlertKind]:  # type: ignore[type-arg]
    return [n.kind for n in notifications if only is None or n.kind is only]


async def test_a_device_that_stops_its_heartbeats_alerts_the_manager_once(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters)
    await register_token(adapters, world.principal, a_push_token(2))
    device = await a_device_with_token(adapters, world, a_push_token(1))
    kds = DevicePrincipal(device=device, token_id=device.id)
    beat = Heartbeat(app_version="3.0", os_version="18.1", last_event_seq=0)
    await RecordHeartbeat(adapters.uow(), adapters.clock).execute(kds, beat)
    sweep = SweepStaleDevices(adapters.uow, adapters.clock, timedelta(seconds=90))

    adapters.clock.advance(timedelta(seconds=60))  # type: ignore[attr-defined]
    await sweep.execute()  # still within the window
    adapters.clock.advance(timedelta(seconds=60))  # type: ignore[attr-defined]
    await sweep.execute()  # silent for 120 s: stale
    await sweep.execute()  # and told only once

    sent = await outbox(adapters, world.truck.id)
    assert [(n.kind, n.recipient.id) for n in sent] == [(AlertKind.DEVICE_STALE, world.manager.id)]
