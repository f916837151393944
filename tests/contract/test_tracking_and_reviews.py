"""Tracking links and reviews, on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.tracking.hmac_links import HmacTrackingLinks
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.orders import Order
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.reviews import Rating, Review
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.tracking import ContactChannel, tracking_hash
from fusionx.core.use_cases.steps.tracking import issue_tracking
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_ticket, an_actor, an_order, new_id
from tests.support.scenes import ShiftScene, a_shift_scene

LINKS = HmacTrackingLinks(b"k" * 32, "https://fusionx.test/app/shop/track")


async def _orders(
    uow_factory: UnitOfWorkFactory, count: int, **changes: object
) -> tuple[ShiftScene, list[Order]]:
    scene = await a_shift_scene(uow_factory)
    orders = [
        an_order(scene.shift.id, list(scene.items[: 1 + n % 3]), number=n, **changes)
        for n in range(1, count + 1)
    ]
    async with uow_factory() as uow:
        for order in orders:
            await uow.orders.add(order)
        await uow.commit()
    return scene, orders


async def test_a_tracking_token_is_kept_only_hashed_and_found_by_its_hash(
    uow_factory: UnitOfWorkFactory,
) -> None:
    _scene, [order] = await _orders(
        uow_factory, 1, customer_phone="+1 415 555 0123", promised_ready_at=T0
    )
    async with uow_factory() as uow:
        token = await issue_tracking(uow, Uuid7Generator(), LINKS, order, locale="es", notify=True)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.tracking.by_hash(tracking_hash(token))
        assert await uow.tracking.by_hash(tracking_hash(token + "x")) is None
        assert await uow.tracking.for_order(order.id) == found
    assert found is not None
    assert token.startswith("fxt_")
    assert len(token) >= 4 + 43
    assert found.token_hash != token
    assert token not in msgspec.json.encode(found).decode()
    assert (found.order_id, found.contact, found.channel) == (
        order.id,
        "+14155550123",
        ContactChannel.SMS,
    )
    assert (found.locale, found.notify, found.told_ready_at) == ("es", True, T0)
    assert found.guest().order_id == order.id


async def test_an_order_has_one_tracking_link_and_tells_its_new_ready_time(
    uow_factory: UnitOfWorkFactory,
) -> None:
    _scene, [first, second] = await _orders(
        uow_factory,
        2,
        customer_phone=None,
        customer_email="ana@example.com",
        promised_ready_at=None,
    )
    async with uow_factory() as uow:
        await issue_tracking(uow, Uuid7Generator(), LINKS, first, locale=None, notify=False)
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(UniqueViolation):
            await issue_tracking(uow, Uuid7Generator(), LINKS, first, locale=None, notify=False)
    async with uow_factory() as uow:
        told = await uow.tracking.set_told(first.id, None, T0 + timedelta(minutes=25))
        again = await uow.tracking.set_told(first.id, None, T0 + timedelta(minutes=30))
        await uow.commit()
    assert (told, again) == (True, False)
    async with uow_factory() as uow:
        [kept] = await uow.tracking.for_orders([first.id, second.id])
    assert (kept.channel, kept.contact) == (ContactChannel.EMAIL, "ana@example.com")
    assert kept.told_ready_at == T0 + timedelta(minutes=25)


def _review(order: Order, truck_id: object, stars: int, minutes: int) -> Review:
    at = T0 + timedelta(minutes=minutes)
    return Review(
        id=new_id(),
        order_id=order.id,
        truck_id=truck_id,  # type: ignore[arg-type]
        author=Actor(kind=PrincipalKind.GUEST, id=order.id),
        stars=stars,
        comment=f"{stars} stars",
        created_at=at,
        updated_at=at,
        item_ids=tuple(order.quantities),
    )


async def test_reviews_round_trip_one_per_order_newest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene, orders = await _orders(uow_factory, 3)
    reviews = [_review(o, scene.truck.id, n + 3, n) for n, o in enumerate(orders)]
    async with uow_factory() as uow:
        for review in reviews:
            await uow.reviews.add(review)
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(UniqueViolation):
            await uow.reviews.add(_review(orders[0], scene.truck.id, 1, 9))
    async with uow_factory() as uow:
        page = await uow.reviews.list_for_truck(scene.truck.id, PageRequest(limit=2))
        assert await uow.reviews.get(reviews[0].id) == reviews[0]
        assert await uow.reviews.for_order(orders[1].id) == reviews[1]
        assert (await uow.reviews.list_for_truck(new_id(), PageRequest())).total == 0
    assert page.items == [reviews[2], reviews[1]]
    assert page.total == 3


async def test_ratings_count_visible_reviews_per_truck_and_item(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene, orders = await _orders(uow_factory, 3)  # items: 1st+2nd; all three; 1st
    first, second, third = (item.id for item in scene.items)
    reviews = [
        _review(o, scene.truck.id, stars, n)
        for n, (o, stars) in enumerate(zip(orders, (5, 4, 1), strict=False))
    ]
    async with uow_factory() as uow:
        for review in reviews:
            await uow.reviews.add(review)
        await uow.commit()
    async with uow_factory() as uow:
        before = await uow.reviews.ratings(scene.truck.id)
        hidden_at = T0 + timedelta(hours=1)
        await uow.reviews.save(reviews[2].hide(by=an_actor(), reason="abuse", at=hidden_at))
        await uow.commit()
    async with uow_factory() as uow:
        after = await uow.reviews.ratings(scene.truck.id)
        kept = await uow.reviews.get(reviews[2].id)
        empty = await uow.reviews.ratings(new_id())
    assert before.truck == Rating(count=3, total_stars=10)
    assert before.items == {
        first: Rating(count=3, total_stars=10),
        second: Rating(count=2, total_stars=9),
        third: Rating(count=1, total_stars=4),
    }
    assert before.last_change == T0 + timedelta(minutes=2)
    assert after.truck == Rating(count=2, total_stars=9)
    assert after.truck.mean == 4.5
    assert after.items[first] == Rating(count=2, total_stars=9)
    assert after.last_change == hidden_at
    assert kept is not None
    assert kept.hidden
    assert kept.hidden_reason == "abuse"
    assert empty.truck.count == 0
    assert empty.truck.mean is None
    assert empty.last_change is None


async def test_overdue_trackings_are_those_told_too_early_of_orders_still_to_make(
    uow_factory: UnitOfWorkFactory,
) -> None:
    _scene, orders = await _orders(uow_factory, 4, customer_phone="+14155550123")
    states = (TicketState.NEW, TicketState.IN_PREP, TicketState.READY, TicketState.NEW)
    async with uow_factory() as uow:
        for n, (order, state) in enumerate(zip(orders, states, strict=True)):
            await uow.tickets.add(a_ticket(order, state=state))
            await issue_tracking(uow, Uuid7Generator(), LINKS, order, locale=None, notify=n != 1)
            await uow.tracking.set_told(
                order.id, order.promised_ready_at, T0 + timedelta(minutes=n)
            )
        await uow.commit()
    async with uow_factory() as uow:
        late = await uow.tracking.overdue(T0 + timedelta(minutes=5), 10)
        early = await uow.tracking.overdue(T0 + timedelta(minutes=2), 10)
    # the second did not opt in; the third is ready already
    assert [t.order_id for t in late] == [orders[0].id, orders[3].id]
    assert [t.order_id for t in early] == [orders[0].id]
