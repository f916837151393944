"""All-day counts: what is waiting, per item and per modifier, across open tickets."""

from __future__ import annotations

import msgspec

from fusionx.core.model.orders import ChosenModifier
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.queries.view_all_day import ViewAllDay
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import open_shift_world
from tests.support.entities import a_ticket, an_order, new_id


async def test_waiting_units_are_counted_per_item_and_modifier(adapters: Adapters) -> None:
    world = await open_shift_world(adapters)
    burger, fries = world.items
    cheese, bacon = (
        ChosenModifier(group_id=new_id(), option_id=new_id(), name=name)
        for name in ("Cheese", "Bacon")
    )
    async with adapters.uow() as uow:
        for number, (lines, state) in enumerate(
            [
                ([(burger, 2, (cheese,)), (fries, 1, ())], TicketState.NEW),
                ([(burger, 1, (cheese, bacon))], TicketState.IN_PREP),
                ([(fries, 3, ())], TicketState.HOLD),
                ([(burger, 5, (bacon,))], TicketState.READY),  # made: not waiting
                ([(fries, 4, ())], TicketState.COMPLETED),
            ],
            start=1,
        ):
            order = an_order(world.shift.id, [burger], number=number)
            order = msgspec.structs.replace(
                order,
                lines=tuple(
                    msgspec.structs.replace(
                        order.lines[0],
                        item_id=item.id,
                        name=item.name,
                        quantity=quantity,
                        modifiers=modifiers,
                    )
                    for item, quantity, modifiers in lines
                ),
            )
            await uow.orders.add(order)
            await uow.tickets.add(a_ticket(order, state=state))
        await uow.commit()

    counts = await ViewAllDay(adapters.uow()).execute(world.principal, world.shift.id)

    assert [(c.name, c.quantity, c.tickets) for c in counts] == [
        (fries.name, 4, 2),
        (burger.name, 3, 2),
    ]
    assert counts[0].modifiers == ()
    assert [(m.name, m.quantity) for m in counts[1].modifiers] == [("Cheese", 3), ("Bacon", 1)]
