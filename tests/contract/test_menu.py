from __future__ import annotations

from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_category, a_menu_item, new_id


async def test_categories_and_items_round_trip_in_display_order(
    uow_factory: UnitOfWorkFactory,
) -> None:
    drinks = a_category("Drinks", display_order=2)
    mains = a_category("Mains", display_order=1, active=False)
    sides = a_category("Sides", display_order=2)
    soda = a_menu_item(drinks.id, "Soda", display_order=2, price_cents=250, description="")
    agua = a_menu_item(drinks.id, "Agua fresca", display_order=2, active=False)
    taco = a_menu_item(mains.id, "Taco", display_order=1)
    async with uow_factory() as uow:
        for category in (sides, drinks, mains):
            await uow.menu.add_category(category)
        for item in (soda, taco, agua):
            await uow.menu.add_item(item)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.menu.categories() == [mains, drinks, sides]
        assert await uow.menu.items() == [taco, agua, soda]


async def test_items_by_id_returns_the_ones_that_exist(uow_factory: UnitOfWorkFactory) -> None:
    category = a_category()
    kept = a_menu_item(category.id, "Kept")
    retired = a_menu_item(category.id, "Retired", active=False)
    async with uow_factory() as uow:
        await uow.menu.add_category(category)
        await uow.menu.add_item(kept)
        await uow.menu.add_item(retired)
        await uow.commit()

    async with uow_factory() as uow:
        found = await uow.menu.items_by_id([kept.id, retired.id, new_id()])
        nothing = await uow.menu.items_by_id([])

    assert found == {kept.id: kept, retired.id: retired}
    assert nothing == {}
