"""Each recipient reads an alert in their own language, rendered when it is planned, so
the outbox holds exactly what is sent (and what an SMS fallback resends)."""

from __future__ import annotations

import msgspec

from fusionx.core.model.notifications import Channel
from fusionx.core.model.staff import Role, StaffMember
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import as_principal, make_staff, open_shift_world
from tests.notifications.helpers import (
    a_device_with_token,
    a_push_token,
    outbox,
    place,
    register_token,
)


async def _speaking(adapters: Adapters, staff: StaffMember, locale: str | None) -> StaffMember:
    chosen = msgspec.structs.replace(staff, locale=locale)
    async with adapters.uow() as uow:
        await uow.staff.update(chosen)
        await uow.commit()
    return chosen


async def test_a_new_order_alert_is_in_each_recipients_language(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=50)
    device = await a_device_with_token(adapters, world, a_push_token(1))
    readers = {}
    for n, locale in enumerate(("es", "fr", None), start=2):
        crew = await make_staff(adapters, role=Role.CREW, trucks=[world.truck])
        await register_token(adapters, as_principal(crew), a_push_token(n))
        readers[(await _speaking(adapters, crew, locale)).id] = locale

    placed = await place(adapters, world, quantity=2)

    number = placed.order.number
    told = {
        n.recipient.id: (n.message.title, n.message.body)
        for n in await outbox(adapters, world.truck.id)
    }
    expected = {
        "es": (f"Nuevo pedido n.º {number}", "2 artículos"),
        "fr": (f"Nouvelle commande n° {number}", "2 articles"),
        None: (f"New order #{number}", "2 items"),
    }
    assert told == {device.id: expected[None]} | {
        staff_id: expected[locale] for staff_id, locale in readers.items()
    }


async def test_one_item_is_singular_in_every_language(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=50)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[world.truck])
    await register_token(adapters, as_principal(crew), a_push_token(2))
    await _speaking(adapters, crew, "fr")

    await place(adapters, world, quantity=1)

    [alert] = [n for n in await outbox(adapters, world.truck.id) if n.recipient.id == crew.id]
    assert (alert.channel, alert.message.body) == (Channel.PUSH, "1 article")
