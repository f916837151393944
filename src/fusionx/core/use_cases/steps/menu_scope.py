"""Finding menu entries the caller may see, shared by the menu use cases: others are 404."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from fusionx.core.errors import InvalidInput, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.events import MenuChange, MenuChanged
from fusionx.core.model.fleet_events import FleetEventData, Stream
from fusionx.core.model.menu import MenuCategory, MenuItem, ModifierGroup
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_operator
from fusionx.core.rules.menu_access import can_see_menu_entry
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.shift_scope import log_event
from fusionx.ports.unit_of_work import UnitOfWork


async def category_in_scope(
    uow: UnitOfWork, principal: Principal, category_id: UUID, *, field: str | None = None
) -> MenuCategory:
    """The category; 404, or 422 on ``field`` when it names a request's field."""
    category = await uow.menu.get_category(category_id)
    if category is None or not can_see_menu_entry(principal, category.truck_id):
        if field is not None:
            raise InvalidInput(field, Message("menu.not_a_category"))
        raise NotFound("menu category", category_id)
    return category


async def item_in_scope(uow: UnitOfWork, principal: Principal, item_id: UUID) -> MenuItem:
    item = await uow.menu.get_item(item_id)
    if item is None or not can_see_menu_entry(principal, item.truck_id):
        raise NotFound("menu item", item_id)
    return item


async def groups_in_scope(
    uow: UnitOfWork, principal: Principal, group_ids: Iterable[UUID], truck_id: UUID | None
) -> tuple[UUID, ...]:
    """``group_ids`` as given, once each, if each is a group an entry of ``truck_id`` may use:
    the fleet's, or that truck's own."""
    wanted = tuple(dict.fromkeys(group_ids))
    found = {group.id: group for group in await uow.menu.modifier_groups(wanted)}
    for index, group_id in enumerate(wanted):
        group = found.get(group_id)
        if group is None or not _usable(group, principal, truck_id):
            raise InvalidInput(f"modifier_group_ids[{index}]", Message("menu.not_a_modifier_group"))
    return wanted


def _usable(group: ModifierGroup, principal: Principal, truck_id: UUID | None) -> bool:
    return can_see_menu_entry(principal, group.truck_id) and group.truck_id in (None, truck_id)


def require_same_scope(field: str, category: MenuCategory, truck_id: UUID | None) -> None:
    """A fleet item goes in a fleet category; a truck's own item in the fleet's or its own."""
    if category.truck_id not in (None, truck_id):
        raise InvalidInput(field, Message("menu.other_trucks_category"))


async def announce_menu_change(
    uow: UnitOfWork, truck_id: UUID | None, at: datetime, what: MenuChange
) -> None:
    """``menu.changed`` on each open shift the change shows on (one truck's, or every
    truck's for the fleet catalogue), so kitchen screens fetch the menu again."""
    trucks = [truck_id] if truck_id is not None else [t.id for t in await uow.trucks.list_all()]
    shifts = [shift for t in trucks if (shift := await uow.shifts.open_for_truck(t))]
    # Shift rows in one order, so two fleet-wide changes cannot deadlock on them.
    for shift in sorted(shifts, key=lambda s: s.id):
        await log_event(uow, shift.id, at, MenuChanged(what=what))


async def commit_menu_change(  # noqa: PLR0917 - one short call closes every menu edit
    uow: UnitOfWork,
    principal: Principal,
    data: FleetEventData,
    truck_id: UUID | None,
    at: datetime,
    what: MenuChange | None,
) -> None:
    """What every menu edit ends with: ``data`` logged on the stream of ``truck_id`` (the
    fleet's for None) by ``principal``, ``menu.changed`` announced when ``what`` is given
    (a change that shows on menus), and the unit of work committed."""
    await log_fleet_event(uow, Stream.of(truck_id), at, actor_of(require_operator(principal)), data)
    if what is not None:
        await announce_menu_change(uow, truck_id, at, what)
    await uow.commit()
