"""The notification repositories' contracts, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import time, timedelta

import msgspec
import pytest

from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.notifications import (
    AlertKind,
    AlertText,
    Attempt,
    AttemptOutcome,
    Channel,
    Notification,
    NotificationState,
)
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.preferences import ChannelChoice, NotificationPreferences, QuietHours
from fusionx.core.model.push_tokens import PushToken
from fusionx.core.model.staff import Role
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_device, a_staff_member, a_truck, new_id
from tests.support.scenes import ShiftScene, a_shift_scene

LEASE = timedelta(seconds=60)


def a_notification(scene: ShiftScene, n: int = 0, **changes: object) -> Notification:
    return msgspec.structs.replace(
        Notification(
            id=new_id(),
            truck_id=scene.truck.id,
            shift_id=scene.shift.id,
            kind=AlertKind.LOW_STOCK,
            channel=Channel.PUSH,
            recipient=Actor(kind=PrincipalKind.DEVICE, id=new_id()),
            message=AlertText(
                title="Item 1 is running low", body="3 left (alert at 3).",
                data={"item_id": str(new_id())}, collapse_key="stock-1",
            ),
            state=NotificationState.PENDING,
            created_at=T0 + timedelta(seconds=n),
            next_attempt_at=T0 + timedelta(seconds=n),
        ),
        **changes,
    )  # fmt: skip


async def test_added_notifications_come_back_whole_newest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    written = [a_notification(scene, n) for n in range(3)]
    async with uow_factory() as uow:
        for notification in written:
            await uow.outbox.add(notification)
        await uow.commit()

    async with uow_factory() as uow:
        page = await uow.outbox.list_for_truck(scene.truck.id, PageRequest(limit=2, offset=1))
        other = await uow.outbox.list_for_truck(new_id(), PageRequest())
        got = await uow.outbox.get(written[0].id)

    assert (page.total, page.items) == (3, [written[1], written[0]])
    assert other.total == 0
    assert got == written[0]


async def test_notifications_added_at_once_come_back_each_whole(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    written = [
        a_notification(scene, 0),
        a_notification(scene, 1, channel=Channel.SMS, kind=AlertKind.NEW_ORDER),
        a_notification(scene, 2, recipient=Actor(kind=PrincipalKind.STAFF, id=new_id())),
    ]
    async with uow_factory() as uow:
        await uow.outbox.add_all([])
        await uow.outbox.add_all(written)
        await uow.commit()

    async with uow_factory() as uow:
        page = await uow.outbox.list_for_truck(scene.truck.id, PageRequest())

    assert page.items == list(reversed(written))


async def test_a_claim_takes_due_ones_once_until_its_lease_ends(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    due = [a_notification(scene, n) for n in range(3)]
    later = a_notification(scene, 100)
    async with uow_factory() as uow:
        for notification in [*due, later]:
            await uow.outbox.add(notification)
        await uow.commit()
    now = T0 + timedelta(seconds=10)

    async with uow_factory() as uow:
        first = await uow.outbox.claim(now, LEASE, 2)
        second = await uow.outbox.claim(now, LEASE, 10)
        await uow.commit()
    async with uow_factory() as uow:
        while_held = await uow.outbox.claim(now + LEASE - timedelta(seconds=1), LEASE, 10)
        after_lease = await uow.outbox.claim(now + LEASE, LEASE, 10)
        await uow.commit()

    assert [c.notification for c in first] == due[:2]
    assert [c.notification for c in second] == due[2:]
    assert while_held == []
    assert [c.notification.id for c in after_lease] == [n.id for n in due]


async def test_finishing_records_the_attempt_and_a_lost_claim_changes_nothing_else(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    notification = a_notification(scene)
    async with uow_factory() as uow:
        await uow.outbox.add(notification)
        [stale] = await uow.outbox.claim(T0, LEASE, 10)
        [fresh] = await uow.outbox.claim(T0 + LEASE, LEASE, 10)
        await uow.commit()
    sent = msgspec.structs.replace(
        notification, state=NotificationState.SENT, attempts=1, sent_at=T0 + LEASE,
        address="ab" * 32, provider_ref="apns-1",
    )  # fmt: skip

    def attempt(n: int, outcome: AttemptOutcome) -> Attempt:
        return Attempt(
            notification_id=notification.id, number=n, at=T0 + LEASE, outcome=outcome,
            detail="x", address="ab" * 32,
        )  # fmt: skip

    async with uow_factory() as uow:
        late = await uow.outbox.finish(stale, notification, attempt(1, AttemptOutcome.RETRY))
        held = await uow.outbox.finish(fresh, sent, attempt(2, AttemptOutcome.DELIVERED))
        await uow.commit()

    async with uow_factory() as uow:
        stored = await uow.outbox.get(notification.id)
        attempts = await uow.outbox.attempts(notification.id)
        again = await uow.outbox.claim(T0 + 10 * LEASE, LEASE, 10)
        by_ref = await uow.outbox.by_provider_ref("apns-1")
    assert (late, held) == (False, True)
    assert stored == sent
    assert by_ref == sent
    assert [(a.number, a.outcome) for a in attempts] == [
        (1, AttemptOutcome.RETRY), (2, AttemptOutcome.DELIVERED),
    ]  # fmt: skip
    assert again == []


async def test_texts_sent_to_a_number_are_counted_from_a_time(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    phone = "+15005550006"
    async with uow_factory() as uow:
        for minutes in (0, 30, 59):
            await uow.outbox.add(
                a_notification(
                    scene, channel=Channel.SMS, state=NotificationState.SENT, address=phone,
                    sent_at=T0 + timedelta(minutes=minutes),
                )
            )  # fmt: skip
        await uow.outbox.add(a_notification(scene, channel=Channel.SMS, address=phone))
        await uow.commit()

    async with uow_factory() as uow:
        counted = await uow.outbox.sms_sent_since(phone, T0 + timedelta(minutes=30))
        none = await uow.outbox.sms_sent_since("+15005550007", T0)
    assert (counted, none) == (2, 0)


async def test_a_push_token_is_one_per_owner_and_round_trips(
    uow_factory: UnitOfWorkFactory,
) -> None:
    owner = Actor(kind=PrincipalKind.DEVICE, id=new_id())
    token = PushToken(
        owner=owner, token="ab" * 32, platform="ipados", app_version="2.0", os_version="18.1",
        registered_at=T0, disabled_at=T0, disabled_reason="Unregistered", invalid_since=T0,
    )  # fmt: skip
    replaced = PushToken(
        owner=owner, token="cd" * 32, platform="ipados", app_version="2.1", os_version="18.2",
        registered_at=T0 + LEASE,
    )  # fmt: skip
    async with uow_factory() as uow:
        await uow.push_tokens.put(token)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.push_tokens.get(owner) == token
        await uow.push_tokens.put(replaced)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.push_tokens.get(owner) == replaced
        await uow.push_tokens.remove(owner)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.push_tokens.get(owner) is None


async def test_preferences_default_and_round_trip(uow_factory: UnitOfWorkFactory) -> None:
    staff = a_staff_member()
    async with uow_factory() as uow:
        await uow.staff.add(staff)
        await uow.commit()
    chosen = NotificationPreferences(
        staff_id=staff.id,
        channels={
            AlertKind.NEW_ORDER: ChannelChoice.NONE,
            AlertKind.DEVICE_STALE: ChannelChoice.SMS,
        },
        quiet_hours=QuietHours(start=time(22, 30), end=time(7), timezone="Europe/London"),
    )
    async with uow_factory() as uow:
        assert await uow.preferences.get(staff.id) == NotificationPreferences(staff_id=staff.id)
        await uow.preferences.put(chosen)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.preferences.get(staff.id) == chosen


@pytest.mark.parametrize("read", ["alone", "ahead"])
async def test_blocked_numbers_and_thresholds(uow_factory: UnitOfWorkFactory, read: str) -> None:
    scene = await a_shift_scene(uow_factory, items=4)
    first, second, third, unordered = (item.id for item in scene.items)
    async with uow_factory() as uow:
        await uow.sms_numbers.block("+15005550009", "21610: opted out (STOP)", T0)
        await uow.stock_thresholds.set_item_default(first, 8)
        await uow.stock_thresholds.set_item_default(second, 4)
        await uow.stock_thresholds.set_for_shift(scene.shift.id, second, 2)
        await uow.stock_thresholds.set_item_default(unordered, 6)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.sms_numbers.reason("+15005550009") == "21610: opted out (STOP)"
        assert await uow.sms_numbers.reason("+15005550010") is None
        if read == "ahead":  # an order's intake may read the ordered items' thresholds
            assert await uow.shifts.order_intake(scene.shift.id, [first, second, third])
        thresholds = await uow.stock_thresholds.for_shift(scene.shift.id, {first, second, third})
        fewer = await uow.stock_thresholds.for_shift(scene.shift.id, {second})
        more = await uow.stock_thresholds.for_shift(scene.shift.id, {third, unordered})
        await uow.sms_numbers.unblock("+15005550009")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sms_numbers.reason("+15005550009") is None
    assert thresholds == {first: 8, second: 2, third: None}
    assert fewer == {second: 2}
    assert more == {third: None, unordered: 6}


@pytest.mark.parametrize("read", ["alone", "ahead"])
async def test_the_audience_of_a_truck_is_who_can_be_reached_and_how(
    uow_factory: UnitOfWorkFactory, read: str
) -> None:
    # "ahead": read after an order's intake of a shift of the truck, which may read it
    # with the shift (PostgreSQL's does) for the reaction at commit.
    scene = await a_shift_scene(uow_factory, items=1)
    truck, other = scene.truck, a_truck("Curry On")
    owner = a_staff_member("owner@example.test", role=Role.OWNER)
    crew = a_staff_member("crew@example.test", role=Role.CREW, truck_ids=frozenset({truck.id}),
                          created_at=T0 + LEASE)  # fmt: skip
    manager = a_staff_member("boss@example.test", role=Role.MANAGER, created_at=T0,
                             truck_ids=frozenset({truck.id}), phone=None)  # fmt: skip
    gone = a_staff_member("gone@example.test", truck_ids=frozenset({truck.id}), active=False)
    elsewhere = a_staff_member("else@example.test", truck_ids=frozenset({other.id}))
    pushed, silent, revoked = (
        a_device(truck.id, owner.id, created_at=T0 + timedelta(seconds=n)) for n in range(3)
    )
    revoked = msgspec.structs.replace(revoked, revoked_at=T0)
    chosen = NotificationPreferences(
        staff_id=crew.id, channels={AlertKind.NEW_ORDER: ChannelChoice.SMS}
    )

    def token(kind: PrincipalKind, owner_id: object, **changes: object) -> PushToken:
        return msgspec.structs.replace(
            PushToken(
                owner=Actor(kind=kind, id=owner_id), token="ab" * 32, platform="ios",  # type: ignore[arg-type]
                app_version="1", os_version="18", registered_at=T0,
            ),
            **changes,
        )  # fmt: skip

    async with uow_factory() as uow:
        await uow.trucks.add(other)
        for member in (owner, crew, manager, gone, elsewhere):
            await uow.staff.add(member)
        for device in (pushed, silent, revoked):
            await uow.devices.add(device)
        await uow.push_tokens.put(token(PrincipalKind.DEVICE, pushed.id))
        await uow.push_tokens.put(token(PrincipalKind.DEVICE, silent.id, disabled_at=T0))
        await uow.push_tokens.put(token(PrincipalKind.DEVICE, revoked.id))
        await uow.push_tokens.put(token(PrincipalKind.STAFF, manager.id))
        await uow.preferences.put(chosen)
        await uow.commit()

    async with uow_factory() as uow:
        if read == "ahead":
            assert await uow.shifts.order_intake(scene.shift.id, [scene.items[0].id])
        audience = await uow.audience.of_truck(truck.id)
        again = await uow.audience.of_truck(truck.id)  # read afresh: the same
        contact = await uow.audience.contact(crew.id)
        nobody = await uow.audience.contact(gone.id)

    assert audience.devices == (pushed.id,)
    assert again == audience
    assert [(c.staff_id, c.role, c.has_push) for c in audience.staff] == [
        (manager.id, Role.MANAGER, True), (crew.id, Role.CREW, False),
    ]  # fmt: skip
    assert audience.staff[1].preferences == chosen
    assert audience.staff[1].phone == crew.phone
    assert contact == audience.staff[1]
    assert nobody is None
