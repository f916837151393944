"""What a dashboard changes, each an htmx request carrying the CSRF header and answered
with the fragment it changed: one-tap 86 and back on sale (a stock count through
``AdjustStock``, as ``POST /api/v1/shifts/{id}/inventory/adjustments`` with reason
``count``), and a shift's throttle (``SetCapacity``, as ``PUT .../capacity``).

A refusal the person can fix (a count out of range, stock that moved meanwhile) is
shown in the fragment; the rest (404, 403) ends in the problem table as for the API.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Template

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.capacity import CapacityLimits, Throttle
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.stock import StockReason
from fusionx.core.use_cases.commands.adjust_stock import MAX_STOCK, AdjustStock, AdjustStockRequest
from fusionx.core.use_cases.commands.set_capacity import SetCapacity, SetCapacityRequest
from fusionx.core.use_cases.queries.view_capacity import ViewCapacity
from fusionx.core.use_cases.queries.view_shift_stock import ViewShiftStock
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.web.access import PageAccess, page
from fusionx.entrypoints.web.session import SignedIn

_Number = Annotated[str, msgspec.Meta(max_length=6, pattern=r"^\d*$")]


class CountForm(msgspec.Struct, frozen=True, kw_only=True):
    count: Annotated[int, msgspec.Meta(ge=0, le=MAX_STOCK)]


class ThrottleForm(msgspec.Struct, frozen=True, kw_only=True):
    """Empty fields: no such limit. No window and no maximum lifts the throttle; the
    shift's pickup slots, which this form does not show, are kept."""

    window_minutes: _Number = ""
    max_orders: _Number = ""
    max_items: _Number = ""

    def throttle(self) -> Throttle | None:
        window, orders, items = (
            int(v) if v else None for v in (self.window_minutes, self.max_orders, self.max_items)
        )
        if window is None and orders is None and items is None:
            return None
        # A missing window is the rule's to refuse (``check_limits``), with its message.
        return Throttle(window_minutes=window or 0, max_orders=orders, max_items=items)


class StockController(Controller):
    path = "/app/shifts/{shift_id:uuid}/stock"

    @get(operation_id="showShiftStockPage", opt=page(PageAccess.STAFF))
    async def show(
        self, shift_id: FromPath[UUID], staff: SignedIn, view_shift_stock: UseCase[ViewShiftStock]
    ) -> Template:
        stock = await view_shift_stock.execute(staff, shift_id)
        return Template("dashboard/_stock.html", context={"stock": stock, "problem": None})

    @post(
        "/{item_id:uuid}/sold-out",
        operation_id="markSoldOutPage",
        opt=page(PageAccess.STAFF),
        status_code=200,
    )
    async def sold_out(
        self,
        *,
        shift_id: FromPath[UUID],
        item_id: FromPath[UUID],
        staff: SignedIn,
        adjust_stock: UseCase[AdjustStock],
        view_shift_stock: UseCase[ViewShiftStock],
    ) -> Template:
        return await _counted(staff, _count(shift_id, item_id, 0), adjust_stock, view_shift_stock)

    @post(
        "/{item_id:uuid}/count",
        operation_id="countStockPage",
        opt=page(PageAccess.STAFF),
        status_code=200,
    )
    async def count(
        self,
        *,
        shift_id: FromPath[UUID],
        item_id: FromPath[UUID],
        staff: SignedIn,
        data: Annotated[CountForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        adjust_stock: UseCase[AdjustStock],
        view_shift_stock: UseCase[ViewShiftStock],
    ) -> Template:
        request = _count(shift_id, item_id, data.count)
        return await _counted(staff, request, adjust_stock, view_shift_stock)


class CapacityController(Controller):
    path = "/app/shifts/{shift_id:uuid}/capacity"

    @post(operation_id="setShiftThrottlePage", opt=page(PageAccess.STAFF), status_code=200)
    async def set_throttle(
        self,
        *,
        shift_id: FromPath[UUID],
        staff: SignedIn,
        data: Annotated[ThrottleForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        set_capacity: UseCase[SetCapacity],
        view_capacity: UseCase[ViewCapacity],
    ) -> Template:
        current = await view_capacity.for_shift(staff, shift_id)
        slots = current.setting.limits.slots if current.setting else None
        limits = CapacityLimits(throttle=data.throttle(), slots=slots)
        problem: Message | None = None
        try:
            current = await set_capacity.for_shift(
                staff, shift_id, SetCapacityRequest(limits=limits)
            )
        except InvalidInput as refused:
            problem = refused.message
        context = {
            "shift_id": shift_id,
            "capacity": current,
            "problem": problem,
            "saved": not problem,
        }
        return Template("dashboard/_capacity.html", context=context)


def _count(shift_id: UUID, item_id: UUID, count: int) -> AdjustStockRequest:
    """A physical count: 0 is an 86, any other number puts the item back on sale."""
    return AdjustStockRequest(
        shift_id=shift_id, item_id=item_id, reason=StockReason.COUNT, count=count
    )


async def _counted(
    staff: StaffPrincipal,
    request: AdjustStockRequest,
    adjust_stock: AdjustStock,
    view_shift_stock: ViewShiftStock,
) -> Template:
    problem: Message | None = None
    try:
        await adjust_stock.execute(staff, request)
    except (InvalidInput, Conflict) as refused:
        problem = refused.detail
    stock = await view_shift_stock.execute(staff, request.shift_id)
    return Template("dashboard/_stock.html", context={"stock": stock, "problem": problem})
