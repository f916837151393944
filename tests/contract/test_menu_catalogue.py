"""The catalogue's richer entries, search, modifier groups and trucks' selections."""

from __future__ import annotations

from datetime import time

import msgspec

from fusionx.core.model.menu import (
    AvailabilityWindow,
    MenuItemFilter,
    ModifierGroup,
    ModifierOption,
    TruckMenuEntry,
)
from fusionx.core.model.orders import ChosenModifier
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.tickets import TicketState
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import (
    T0,
    a_category,
    a_menu_item,
    a_ticket,
    a_truck,
    an_order,
    new_id,
)
from tests.support.scenes import a_shift_scene

BREAKFAST = AvailabilityWindow(days=frozenset({1, 2, 3, 4, 5}), start=time(7), end=time(11))
LATE = AvailabilityWindow(days=frozenset({5, 6}), start=time(22, 30), end=time(2))


def a_group(name: str = "Size", **changes: object) -> ModifierGroup:
    group = ModifierGroup(
        id=new_id(),
        name=name,
        min_choices=1,
        max_choices=2,
        options=(
            ModifierOption(id=new_id(), name="Regular"),
            ModifierOption(id=new_id(), name="Large", price_delta_cents=150),
            ModifierOption(id=new_id(), name="Kids", price_delta_cents=-100),
        ),
        created_at=T0,
    )
    return msgspec.structs.replace(group, **changes)


async def test_every_field_of_an_entry_round_trips_and_changes(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory, items=0)
    group = a_group()
    category = a_category("Late", availability=(LATE,), truck_id=scene.truck.id)
    item = a_menu_item(
        category.id,
        tags=("egg", "gluten"),
        image_url="https://cdn.example.test/burrito.jpg",
        modifier_group_ids=(group.id,),
        availability=(BREAKFAST, LATE),
        truck_id=scene.truck.id,
        shift_id=scene.shift.id,
    )
    async with uow_factory() as uow:
        await uow.menu.add_modifier_group(group)
        await uow.menu.add_category(category)
        await uow.menu.add_item(item)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.menu.get_category(category.id) == category
        assert await uow.menu.get_item(item.id) == item
        assert await uow.menu.modifier_groups([group.id]) == [group]

    renamed = msgspec.structs.replace(category, name="Night", availability=(), active=False)
    archived = msgspec.structs.replace(item, tags=("vegan",), active=False, availability=())
    smaller = msgspec.structs.replace(group, name="Sizes", max_choices=1)
    async with uow_factory() as uow:
        await uow.menu.update_category(renamed)
        await uow.menu.update_item(archived)
        await uow.menu.update_modifier_group(smaller)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.menu.get_category(category.id) == renamed
        assert await uow.menu.get_item(item.id) == archived
        assert await uow.menu.modifier_groups() == [smaller]
        assert await uow.menu.get_item(new_id()) is None


async def test_search_filters_and_pages_in_display_order(uow_factory: UnitOfWorkFactory) -> None:
    mine, theirs = a_truck("Mine"), a_truck("Theirs")
    mains, drinks = a_category("Mains"), a_category("Drinks", display_order=2)
    items = [
        a_menu_item(mains.id, "Veggie burrito", display_order=1, tags=("vegan",)),
        a_menu_item(mains.id, "Carnitas", display_order=2, description="Pork 100%_slow"),
        a_menu_item(mains.id, "Old taco", display_order=3, active=False, tags=("vegan",)),
        a_menu_item(drinks.id, "Horchata", display_order=1, truck_id=mine.id),
        a_menu_item(drinks.id, "Their soda", display_order=2, truck_id=theirs.id),
    ]
    async with uow_factory() as uow:
        await uow.trucks.add(mine)
        await uow.trucks.add(theirs)
        await uow.menu.add_category(mains)
        await uow.menu.add_category(drinks)
        for item in items:
            await uow.menu.add_item(item)
        await uow.commit()

    async def names(page: PageRequest | None = None, **criteria: object) -> tuple[list[str], int]:
        async with uow_factory() as uow:
            found = await uow.menu.search_items(MenuItemFilter(**criteria), page or PageRequest())  # type: ignore[arg-type]
        return [i.name for i in found.items], found.total

    assert await names(text="BURR") == (["Veggie burrito"], 1)
    assert await names(text="%_slow") == (["Carnitas"], 1)
    assert await names(tag="vegan") == (["Veggie burrito", "Old taco"], 2)
    assert await names(tag="vegan", active=True) == (["Veggie burrito"], 1)
    assert await names(category_id=drinks.id, truck_ids=frozenset({mine.id})) == (["Horchata"], 1)
    # Display order, then name: Horchata, Veggie burrito, Carnitas, Their soda, Old taco.
    assert await names(PageRequest(limit=2, offset=1)) == (["Veggie burrito", "Carnitas"], 5)


async def test_a_trucks_selection_is_replaced_whole(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory, items=3)
    first, second, third = scene.items
    async with uow_factory() as uow:
        assert await uow.menu.truck_menu(scene.truck.id) == []
        await uow.menu.set_truck_menu(
            scene.truck.id,
            [
                TruckMenuEntry(item_id=first.id, price_cents=500),
                TruckMenuEntry(item_id=second.id, opening_stock=12),
            ],
        )
        await uow.commit()

    async with uow_factory() as uow:
        chosen = await uow.menu.truck_menu(scene.truck.id)
        await uow.menu.set_truck_menu(scene.truck.id, [TruckMenuEntry(item_id=third.id)])
        await uow.commit()

    async with uow_factory() as uow:
        replaced = await uow.menu.truck_menu(scene.truck.id)
    assert sorted(chosen, key=lambda e: e.item_id) == sorted(
        [
            TruckMenuEntry(item_id=first.id, price_cents=500),
            TruckMenuEntry(item_id=second.id, opening_stock=12),
        ],
        key=lambda e: e.item_id,
    )
    assert replaced == [TruckMenuEntry(item_id=third.id)]


async def test_an_order_lines_modifiers_round_trip_to_the_kitchen_feed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory, items=1)
    large = ChosenModifier(
        group_id=new_id(), option_id=new_id(), name="Large", price_delta_cents=150
    )
    order = an_order(scene.shift.id, list(scene.items))
    line = msgspec.structs.replace(order.lines[0], modifiers=(large,))
    order = msgspec.structs.replace(order, lines=(line,), total_cents=line.total_cents)
    async with uow_factory() as uow:
        await uow.orders.add(order)
        await uow.tickets.add(a_ticket(order))
        await uow.commit()

    async with uow_factory() as uow:
        found = await uow.orders.get(order.id)
        [on_display] = await uow.tickets.feed(scene.shift.id, [TicketState.NEW])

    assert found == order
    assert on_display.lines == (line,)
