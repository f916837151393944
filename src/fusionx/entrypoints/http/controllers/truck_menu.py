from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post, put
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.add_shift_special import AddShiftSpecial
from fusionx.core.use_cases.commands.set_truck_menu import SetTruckMenu
from fusionx.core.use_cases.queries.view_truck_menu import ViewTruckMenu
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.catalogue import ItemView
from fusionx.entrypoints.http.schemas.truck_menu import (
    SpecialBody,
    TruckMenuBody,
    TruckMenuEntryBody,
)


class TruckMenuController(Controller):
    """Which catalogue items a truck sells, at what price."""

    path = "/api/v1/trucks/{truck_id:uuid}/menu"
    tags = ("menu",)
    security = BEARER

    @get(
        operation_id="getTruckMenu",
        summary="The catalogue items a truck sells and its prices (empty: the whole catalogue)",
        responses=problem_responses(400, 401, 404),
    )
    async def view(
        self,
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_truck_menu: UseCase[ViewTruckMenu],
    ) -> TruckMenuBody:
        entries = await view_truck_menu.execute(principal, truck_id)
        return TruckMenuBody(items=[TruckMenuEntryBody.of(e) for e in entries])

    @put(
        operation_id="setTruckMenu",
        summary="Choose the catalogue items a truck sells, with optional prices of its own",
        responses=problem_responses(400, 401, 403, 404, 413, 422),
    )
    async def set_menu(
        self,
        truck_id: FromPath[UUID],
        data: JSONBody[TruckMenuBody],
        principal: CurrentPrincipal,
        set_truck_menu: UseCase[SetTruckMenu],
    ) -> TruckMenuBody:
        entries = [entry.to_entry() for entry in data.items]
        saved = await set_truck_menu.execute(principal, truck_id, entries)
        return TruckMenuBody(items=[TruckMenuEntryBody.of(e) for e in saved])


class ShiftSpecialsController(Controller):
    path = "/api/v1/shifts/{shift_id:uuid}/specials"
    tags = ("menu",)
    security = BEARER

    @post(
        operation_id="addShiftSpecial",
        summary="Put a special on this shift's menu only, with its own starting stock",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def add(
        self,
        shift_id: FromPath[UUID],
        data: JSONBody[SpecialBody],
        principal: CurrentPrincipal,
        add_shift_special: UseCase[AddShiftSpecial],
    ) -> ItemView:
        return ItemView.of(await add_shift_special.execute(principal, data.to_request(shift_id)))
