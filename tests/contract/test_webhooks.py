"""The webhook repositories' contracts, on memory, SQLite and PostgreSQL: endpoints keep
their secret to themselves; the delivery queue hands out only the head of each
endpoint's line for a shift, once at a time, and replays what was parked."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import msgspec
import pytest

from fusionx.core.model.paging import PageRequest
from fusionx.core.model.webhooks import (
    GIVE_UP_AFTER,
    DeliveryFilter,
    DeliveryState,
    WebhookDelivery,
    WebhookEndpoint,
)
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_shift, a_truck, an_actor, new_id
from tests.support.scenes import a_shift_scene

LEASE = timedelta(seconds=60)
ALL = DeliveryFilter()


def an_endpoint(n: int = 0, **changes: object) -> WebhookEndpoint:
    return msgspec.structs.replace(
        WebhookEndpoint(
            id=new_id(), url=f"https://hooks{n}.partner.example/in",
            event_types=("order.created", "ticket.state_changed"), description=None,
            active=True, created_at=T0 + timedelta(seconds=n), created_by=an_actor(),
            updated_at=T0 + timedelta(seconds=n),
        ),
        **changes,
    )  # fmt: skip


def a_delivery(
    endpoint: WebhookEndpoint, shift_id: UUID, seq: int, **changes: object
) -> WebhookDelivery:
    at = T0 + timedelta(seconds=seq)
    return msgspec.structs.replace(
        WebhookDelivery(
            id=new_id(), endpoint_id=endpoint.id, shift_id=shift_id, seq=seq,
            event_type="order.created", occurred_at=at, state=DeliveryState.PENDING,
            attempts=0, created_at=at, next_attempt_at=at, give_up_at=at + GIVE_UP_AFTER,
        ),
        **changes,
    )  # fmt: skip


async def _with(
    uow_factory: UnitOfWorkFactory, *endpoints: WebhookEndpoint, deliveries: list[WebhookDelivery]
) -> None:
    async with uow_factory() as uow:
        for endpoint in endpoints:
            await uow.webhook_endpoints.add(endpoint, f"whsec_{endpoint.id.hex}")
        await uow.webhook_deliveries.add_all(deliveries)
        await uow.commit()


async def test_an_endpoint_reads_back_without_its_secret_which_only_secret_returns(
    uow_factory: UnitOfWorkFactory,
) -> None:
    first, second = an_endpoint(1), an_endpoint(2, active=False, description="Books")
    await _with(uow_factory, second, first, deliveries=[])

    async with uow_factory() as uow:
        assert await uow.webhook_endpoints.get(first.id) == first
        page = await uow.webhook_endpoints.listing(PageRequest(limit=1))
        assert (page.items, page.total) == ([first], 2)
        assert await uow.webhook_endpoints.secret(second.id) == f"whsec_{second.id.hex}"
        await uow.webhook_endpoints.set_secret(second.id, "whsec_new")
        await uow.webhook_endpoints.put(msgspec.structs.replace(second, url="https://b.example"))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.webhook_endpoints.secret(second.id) == "whsec_new"
        assert (await uow.webhook_endpoints.get(second.id)).url == "https://b.example"  # type: ignore[union-attr]
        assert await uow.webhook_endpoints.get(new_id()) is None


@pytest.mark.parametrize("read", ["alone", "ahead"])
async def test_only_active_endpoints_that_want_a_type_are_subscribed(
    uow_factory: UnitOfWorkFactory, read: str
) -> None:
    wants = an_endpoint(1)
    off = an_endpoint(2, active=False)
    other = an_endpoint(3, event_types=("stock.changed",))
    await _with(uow_factory, wants, off, other, deliveries=[])
    scene = await a_shift_scene(uow_factory, items=1)

    async with uow_factory() as uow:
        if read == "ahead":  # an order's intake may read every endpoint with the shift
            assert await uow.shifts.order_intake(scene.shift.id, [scene.items[0].id])
        assert await uow.webhook_endpoints.subscribed({"order.created"}) == [wants]
        found = await uow.webhook_endpoints.subscribed({"order.created", "stock.changed"})
        assert sorted(e.id for e in found) == sorted([wants.id, other.id])
        assert await uow.webhook_endpoints.subscribed({"shift.closed"}) == []


async def test_claim_hands_out_only_the_head_of_each_line_once_until_it_is_finished(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    other_truck = a_truck()
    other_shift = a_shift(other_truck.id, scene.location.id)
    async with uow_factory() as uow:
        await uow.trucks.add(other_truck)
        await uow.shifts.add(other_shift)
        await uow.commit()
    endpoint, second = an_endpoint(1), an_endpoint(2)
    line = [a_delivery(endpoint, scene.shift.id, seq) for seq in (1, 2, 3)]
    beside = a_delivery(endpoint, other_shift.id, 1)
    theirs = a_delivery(second, scene.shift.id, 1)
    await _with(uow_factory, endpoint, second, deliveries=[*line, beside, theirs])
    now = T0 + timedelta(minutes=1)

    async with uow_factory() as uow:
        claims = await uow.webhook_deliveries.claim(now, LEASE, 10)
        again = await uow.webhook_deliveries.claim(now, LEASE, 10)
        await uow.commit()

    # One per line: the first of the shift's, the other shift's, the other endpoint's.
    assert {c.delivery.id for c in claims} == {line[0].id, beside.id, theirs.id}
    assert again == []  # held, and what queues behind a held head stays behind it
    [head] = [c for c in claims if c.delivery.id == line[0].id]
    async with uow_factory() as uow:
        done = head.delivery.delivered(now, 200)
        assert await uow.webhook_deliveries.finish(head, done)
        assert [c.delivery.id for c in await uow.webhook_deliveries.claim(now, LEASE, 10)] == [
            line[1].id
        ]
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.webhook_deliveries.get(line[0].id) == done


async def test_a_head_waiting_for_its_retry_holds_back_its_line_but_not_others(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    endpoint = an_endpoint()
    later = T0 + timedelta(hours=1)
    first = a_delivery(endpoint, scene.shift.id, 1, next_attempt_at=later, attempts=2)
    second = a_delivery(endpoint, scene.shift.id, 2)
    await _with(uow_factory, endpoint, deliveries=[first, second])

    async with uow_factory() as uow:
        assert await uow.webhook_deliveries.claim(T0 + timedelta(minutes=5), LEASE, 10) == []
        [claim] = await uow.webhook_deliveries.claim(later, LEASE, 10)
        await uow.commit()
    assert claim.delivery == first


async def test_a_parked_head_no_longer_holds_back_its_line(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    endpoint = an_endpoint()
    dead = a_delivery(endpoint, scene.shift.id, 1, state=DeliveryState.DEAD)
    second = a_delivery(endpoint, scene.shift.id, 2)
    await _with(uow_factory, endpoint, deliveries=[dead, second])

    async with uow_factory() as uow:
        [claim] = await uow.webhook_deliveries.claim(T0 + timedelta(minutes=1), LEASE, 10)
        await uow.commit()
    assert claim.delivery.id == second.id


async def test_an_inactive_endpoints_deliveries_wait(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    endpoint = an_endpoint(active=False)
    await _with(uow_factory, endpoint, deliveries=[a_delivery(endpoint, scene.shift.id, 1)])

    async with uow_factory() as uow:
        assert await uow.webhook_deliveries.claim(T0 + timedelta(days=2), LEASE, 10) == []


async def test_a_lapsed_claim_is_handed_out_again_and_the_old_holder_cannot_finish(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    endpoint = an_endpoint()
    delivery = a_delivery(endpoint, scene.shift.id, 1)
    await _with(uow_factory, endpoint, deliveries=[delivery])
    now = T0 + timedelta(minutes=1)

    async with uow_factory() as uow:
        [lost] = await uow.webhook_deliveries.claim(now, LEASE, 10)
        await uow.commit()
    async with uow_factory() as uow:
        [taken] = await uow.webhook_deliveries.claim(now + LEASE, LEASE, 10)
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.webhook_deliveries.finish(lost, delivery.delivered(now, 200))
        assert await uow.webhook_deliveries.finish(taken, delivery.delivered(now + LEASE, 204))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.webhook_deliveries.get(delivery.id)
    assert found is not None
    assert (found.state, found.last_status) == (DeliveryState.DELIVERED, 204)


async def test_one_delivery_per_endpoint_and_event(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    endpoint = an_endpoint()
    await _with(uow_factory, endpoint, deliveries=[a_delivery(endpoint, scene.shift.id, 1)])

    async with uow_factory() as uow:
        # Never asked of it (each event is queued once, with its commit): the table's
        # unique key is the net under that, each backend refusing in its own words.
        with pytest.raises(Exception):  # noqa: B017, PT011
            await uow.webhook_deliveries.add_all([a_delivery(endpoint, scene.shift.id, 1)])


async def test_listing_filters_and_pages_newest_first(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    endpoint, other = an_endpoint(1), an_endpoint(2)
    rows = [
        a_delivery(endpoint, scene.shift.id, 1, state=DeliveryState.DELIVERED),
        a_delivery(endpoint, scene.shift.id, 2, state=DeliveryState.DEAD),
        a_delivery(endpoint, scene.shift.id, 3),
        a_delivery(other, scene.shift.id, 1),
    ]
    await _with(uow_factory, endpoint, other, deliveries=rows)

    async with uow_factory() as uow:
        page = await uow.webhook_deliveries.listing(endpoint.id, ALL, PageRequest(limit=2))
        dead = await uow.webhook_deliveries.listing(
            endpoint.id, DeliveryFilter(state=DeliveryState.DEAD), PageRequest()
        )
        since = await uow.webhook_deliveries.listing(
            endpoint.id, DeliveryFilter(since=T0 + timedelta(seconds=2)), PageRequest()
        )
    assert ([d.seq for d in page.items], page.total) == ([3, 2], 3)
    assert [d.id for d in dead.items] == [rows[1].id]
    assert [d.seq for d in since.items] == [3, 2]


async def test_replay_sends_again_what_matches_and_is_not_pending(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    endpoint = an_endpoint()
    delivered = a_delivery(endpoint, scene.shift.id, 1, state=DeliveryState.DELIVERED)
    dead = [a_delivery(endpoint, scene.shift.id, s, state=DeliveryState.DEAD) for s in (2, 3)]
    pending = a_delivery(endpoint, scene.shift.id, 4)
    await _with(uow_factory, endpoint, deliveries=[delivered, *dead, pending])
    now = T0 + timedelta(days=3)

    async with uow_factory() as uow:
        count = await uow.webhook_deliveries.replay(
            endpoint.id, DeliveryFilter(state=DeliveryState.DEAD), now
        )
        await uow.commit()
    async with uow_factory() as uow:
        found = [await uow.webhook_deliveries.get(d.id) for d in dead]
        claims = await uow.webhook_deliveries.claim(now, LEASE, 10)
    assert count == 2
    assert found == [d.replayed(now) for d in dead]
    assert [c.delivery.seq for c in claims] == [2]  # in the shift's order again


async def test_removing_an_endpoint_removes_its_deliveries(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    endpoint = an_endpoint()
    delivery = a_delivery(endpoint, scene.shift.id, 1)
    await _with(uow_factory, endpoint, deliveries=[delivery])

    async with uow_factory() as uow:
        assert not await uow.webhook_endpoints.removed(endpoint.id)
        await uow.webhook_endpoints.remove(endpoint.id, T0 + timedelta(days=1))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.webhook_endpoints.removed(endpoint.id)
        assert not await uow.webhook_endpoints.removed(new_id())
        assert await uow.webhook_endpoints.get(endpoint.id) is None
        assert (await uow.webhook_endpoints.listing(PageRequest())).items == []
        assert await uow.webhook_endpoints.subscribed({"order.created"}) == []
        assert await uow.webhook_endpoints.secret(endpoint.id) is None
        assert await uow.webhook_deliveries.get(delivery.id) is None
