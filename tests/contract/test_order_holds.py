"""An order's money and the stock it holds while awaiting payment, on every backend."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, an_order, new_id
from tests.support.scenes import a_shift_scene


async def test_an_orders_money_and_hold_round_trip(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    plain = an_order(scene.shift.id, list(scene.items[:2]))
    order = msgspec.structs.replace(
        plain,
        channel=OrderChannel.ONLINE,
        state=OrderState.AWAITING_PAYMENT,
        tax_cents=165,
        tax_rate_bp=825,
        tax_inclusive=True,
        discount_cents=100,
        stock_held=True,
    )
    async with uow_factory() as uow:
        await uow.orders.add(order)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.orders.get(order.id) == order
        assert await uow.orders.get_for_update(order.id) == order


async def test_lapsed_holds_are_the_unpaid_orders_holding_stock_oldest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)

    def online(number: int, minutes: int, **fields: object):  # type: ignore[no-untyped-def]
        order = an_order(
            scene.shift.id,
            [scene.items[0]],
            number=number,
            created_at=T0 + timedelta(minutes=minutes),
        )
        values = {"channel": OrderChannel.ONLINE, "state": OrderState.AWAITING_PAYMENT}
        return msgspec.structs.replace(order, **(values | {"stock_held": True} | fields))

    later, older, oldest = online(1, 10), online(2, 5), online(3, 1)
    released = online(4, 0, stock_held=False)
    paid = online(5, 0, state=OrderState.PLACED)
    young = online(6, 30)
    async with uow_factory() as uow:
        for order in (later, older, oldest, released, paid, young):
            await uow.orders.add(order)
        await uow.commit()

    cutoff = T0 + timedelta(minutes=20)
    async with uow_factory() as uow:
        assert await uow.orders.lapsed_holds(cutoff, 10) == [oldest.id, older.id, later.id]
        assert await uow.orders.lapsed_holds(cutoff, 2) == [oldest.id, older.id]
        await uow.orders.set_stock_held(oldest.id, held=False)
        await uow.orders.set_stock_held(released.id, held=True)
        await uow.orders.set_stock_held(new_id(), held=False)  # unknown: nothing
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.orders.lapsed_holds(cutoff, 10) == [released.id, older.id, later.id]
        stored = await uow.orders.get(oldest.id)
    assert stored is not None
    assert not stored.stock_held
