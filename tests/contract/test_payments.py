"""Online orders' state, and the record of gateway events that keeps replays harmless."""

from __future__ import annotations

import msgspec

from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.core.model.payments import PaymentEventKind, PaymentOutcome, ReceivedPayment
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, an_order, new_id
from tests.support.scenes import a_shift_scene


def a_received_payment(event_id: str = "evt_1", **changes: object) -> ReceivedPayment:
    received = ReceivedPayment(
        id=new_id(),
        event_id=event_id,
        kind=PaymentEventKind.SUCCEEDED,
        order_id=new_id(),
        amount_cents=1234,
        outcome=PaymentOutcome.QUEUED,
        received_at=T0,
    )
    return msgspec.structs.replace(received, **changes)


async def test_an_order_keeps_its_state_and_changes_it(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    order = an_order(
        scene.shift.id,
        [scene.items[0]],
        channel=OrderChannel.ONLINE,
        state=OrderState.AWAITING_PAYMENT,
    )
    async with uow_factory() as uow:
        await uow.orders.add(order)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.orders.get_for_update(order.id) == order
        await uow.orders.set_state(order.id, OrderState.NEEDS_REFUND)
        await uow.commit()

    async with uow_factory() as uow:
        found = await uow.orders.get(order.id)
    assert found is not None
    assert (found.state, found.lines) == (OrderState.NEEDS_REFUND, order.lines)


async def test_a_window_order_is_placed(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    order = an_order(scene.shift.id, [scene.items[0]])
    async with uow_factory() as uow:
        await uow.orders.add(order)
        await uow.commit()
        found = await uow.orders.get(order.id)

    assert found is not None
    assert found.state is OrderState.PLACED


async def test_a_received_payment_round_trips(uow_factory: UnitOfWorkFactory) -> None:
    received = a_received_payment()
    async with uow_factory() as uow:
        assert await uow.payments.record(received) is True
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.payments.get("evt_1") == received
        assert await uow.payments.get("evt_2") is None


async def test_an_event_id_is_recorded_once(uow_factory: UnitOfWorkFactory) -> None:
    first = a_received_payment()
    async with uow_factory() as uow:
        await uow.payments.record(first)
        await uow.commit()

    async with uow_factory() as uow:
        assert (
            await uow.payments.record(a_received_payment(outcome=PaymentOutcome.IGNORED)) is False
        )
        # The unit of work is still usable after the refusal.
        assert await uow.payments.record(a_received_payment("evt_2")) is True
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.payments.get("evt_1") == first
        assert await uow.payments.get("evt_2") is not None


async def test_an_uncommitted_record_is_not_kept(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.payments.record(a_received_payment())

    async with uow_factory() as uow:
        assert await uow.payments.get("evt_1") is None


async def test_what_was_taken_for_an_order_is_what_the_gateway_reported(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Past 32 bits too: an amount the gateway reports is kept as it was reported."""
    order_id, other_order = new_id(), new_id()
    taken = a_received_payment(
        "evt_1", order_id=order_id, amount_cents=2**40, outcome=PaymentOutcome.NEEDS_REFUND
    )
    paid_again = a_received_payment("evt_2", order_id=order_id, outcome=PaymentOutcome.IGNORED)
    failed = a_received_payment(
        "evt_3",
        order_id=other_order,
        kind=PaymentEventKind.FAILED,
        outcome=PaymentOutcome.PAYMENT_FAILED,
    )
    async with uow_factory() as uow:
        for received in (taken, paid_again, failed):
            await uow.payments.record(received)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.payments.get("evt_1") == taken
        assert await uow.payments.taken_for(order_id) == 2**40
        assert await uow.payments.taken_for(other_order) is None
        assert await uow.payments.taken_for(new_id()) is None


async def test_the_payment_that_acted_on_an_order_keeps_the_gateways_reference(
    uow_factory: UnitOfWorkFactory,
) -> None:
    order_id, other_order = new_id(), new_id()
    taken = a_received_payment("evt_1", order_id=order_id, payment_reference="pi_3PqL")
    paid_again = a_received_payment(
        "evt_2", order_id=order_id, outcome=PaymentOutcome.IGNORED, payment_reference="pi_other"
    )
    without = a_received_payment("evt_3", order_id=other_order)
    async with uow_factory() as uow:
        for received in (paid_again, taken, without):
            await uow.payments.record(received)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.payments.payment_for(order_id) == taken
        assert await uow.payments.payment_for(other_order) == without
        assert await uow.payments.payment_for(new_id()) is None
        assert await uow.payments.get("evt_2") == paid_again
