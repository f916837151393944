"""Payment notifications racing on PostgreSQL, sent as the gateway sends them: signed HTTP
requests to the real app over the production wiring.

The requests go through httpx's ASGI transport on the test's own event loop, so they
really overlap (Litestar's test client would serve them one at a time).

An online order holds its units from its creation, so its payment competes for nothing;
but once its hold has lapsed, a late payment takes the units again. Late payments then
compete for the last units: the ones that get stock reach the kitchen, the others need
a refund, and no unit is sold twice. Deliveries repeat, as gateways repeat them, and a
repeat changes nothing. (Checkouts racing for the last units: tests/http/test_checkout_races.py.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from fusionx.core.model.orders import Order, OrderChannel, OrderState
from fusionx.core.model.stock import StockReason
from fusionx.core.use_cases.commands.adjust_stock import AdjustStock, AdjustStockRequest
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.commands.release_lapsed_holds import ReleaseLapsedHolds
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from tests.factories import PASSWORD, ShiftWorld, open_shift_world
from tests.support.databases import MigratedDatabase
from tests.support.gateway import SECRET, WEBHOOK, Gateway
from tests.support.races import race

pytestmark = pytest.mark.postgres

Delivery = tuple[bytes, dict[str, str]]
ZERO = timedelta(0)


class Scene:
    def __init__(self, client: httpx.AsyncClient, adapters: Adapters, world: ShiftWorld):
        self.client, self.adapters, self.world = client, adapters, world
        self.item = world.items[0]

    async def online_orders(self, count: int) -> list[Order]:
        request = PlaceOrderRequest(
            shift_id=self.world.shift.id,
            lines=(OrderLineRequest(item_id=self.item.id, quantity=1),),
            channel=OrderChannel.ONLINE,
        )
        orders = []
        for _ in range(count):
            place = PlaceOrder(self.adapters.uow(), self.adapters.clock, self.adapters.ids)
            orders.append((await place.execute(self.world.principal, request)).order)
        return orders

    async def adjust(self, reason: StockReason, delta: int) -> None:
        adjust = AdjustStock(self.adapters.uow(), self.adapters.clock, self.adapters.ids)
        await adjust.execute(
            self.world.principal,
            AdjustStockRequest(
                shift_id=self.world.shift.id, item_id=self.item.id, reason=reason, delta=delta
            ),
        )

    async def deliver_all(self, deliveries: list[Delivery]) -> Counter[str]:
        """Every delivery at once, after a common start; the outcomes counted."""

        async def one(n: int) -> str:
            body, headers = deliveries[n]
            response = await self.client.post(WEBHOOK, content=body, headers=headers)
            assert response.status_code == 200, response.text
            outcome: str = response.json()["outcome"]
            return outcome

        return Counter(await race(len(deliveries), one, seconds=90))

    async def kitchen(self) -> list[dict[str, object]]:
        login = await self.client.post(
            "/api/v1/auth/login", json={"email": self.world.manager.email, "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        feed = await self.client.get(
            f"/api/v1/shifts/{self.world.shift.id}/tickets", headers=headers
        )
        assert feed.status_code == 200
        # Without the age, which grows by itself.
        return [{k: v for k, v in t.items() if k != "age_seconds"} for t in feed.json()["tickets"]]

    async def states(self, orders: list[Order]) -> Counter[OrderState]:
        async with self.adapters.uow() as uow:
            found = [await uow.orders.get(order.id) for order in orders]
        return Counter(order.state for order in found if order is not None)

    async def books(self) -> tuple[dict[object, int], list[int], int]:
        """On-hand, the ledger's deltas and the event log's last number."""
        async with self.adapters.uow() as uow:
            shift_id = self.world.shift.id
            levels = await uow.stock.levels(shift_id)
            ledger = await uow.stock.movements(shift_id)
            last_seq = await uow.events.last_seq(shift_id)
        expected = {StockReason.RESTOCK, StockReason.SALE, StockReason.RETURN, StockReason.WASTE}
        assert all(m.reason in expected for m in ledger)
        return levels, [m.delta for m in ledger], last_seq


@asynccontextmanager
async def running(postgres: MigratedDatabase) -> AsyncIterator[Scene]:
    """The app started (entered in the test's own task: its lifespan holds a task group)."""
    settings = Settings(database_url=postgres.url, payment_webhook_secret=SECRET)
    adapters = sql_adapters(settings)
    app = create_app(settings, adapters)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client,
    ):
        world = await open_shift_world(adapters, stock=10, prices=(950,))
        yield Scene(client, adapters, world)


async def test_200_paid_orders_for_10_units_put_10_on_the_kitchen_display(
    postgres: MigratedDatabase,
) -> None:
    async with running(postgres) as scene:
        await _two_hundred_for_ten(scene)


async def _two_hundred_for_ten(scene: Scene) -> None:
    await scene.adjust(StockReason.RESTOCK, 190)
    orders = await scene.online_orders(200)  # each holds its unit
    sweep = ReleaseLapsedHolds(scene.adapters.uow, scene.adapters.clock, scene.adapters.ids, ZERO)
    while await sweep.execute():  # every hold lapses: 200 units back on the shelf
        pass
    await scene.adjust(StockReason.WASTE, -190)  # and 10 are left for 200 late payments
    gateway = Gateway()
    deliveries = [
        gateway.signed(gateway.event(order.id, order.total_cents), datetime.now(UTC))
        for order in orders
    ]

    outcomes = await scene.deliver_all(deliveries)

    assert outcomes == {"queued": 10, "needs_refund": 190}
    tickets = await scene.kitchen()
    assert len(tickets) == 10
    assert await scene.states(orders) == {OrderState.PLACED: 10, OrderState.NEEDS_REFUND: 190}
    levels, deltas, last_seq = await scene.books()
    assert levels == {scene.item.id: 0}
    assert sum(deltas) == levels[scene.item.id]
    assert deltas.count(-1) == 200 + 10  # each order's hold, then the 10 late payments

    replayed = await scene.deliver_all(deliveries)

    assert replayed == {"duplicate": 200}
    assert await scene.kitchen() == tickets
    assert await scene.states(orders) == {OrderState.PLACED: 10, OrderState.NEEDS_REFUND: 190}
    assert await scene.books() == (levels, deltas, last_seq)


async def test_one_event_delivered_many_times_at_once_acts_once(
    postgres: MigratedDatabase,
) -> None:
    async with running(postgres) as scene:
        await _twenty_deliveries_of_one(scene)


async def _twenty_deliveries_of_one(scene: Scene) -> None:
    [order] = await scene.online_orders(1)
    gateway = Gateway()
    delivery = gateway.signed(gateway.event(order.id, order.total_cents), datetime.now(UTC))

    outcomes = await scene.deliver_all([delivery] * 20)

    assert outcomes == {"queued": 1, "duplicate": 19}
    assert len(await scene.kitchen()) == 1
    levels, deltas, _ = await scene.books()
    assert levels == {scene.item.id: 9}
    assert deltas == [10, -1]
