"""The managers' and owners' dashboard: the fleet's open shifts and week, and a truck's
shift, devices, stock, capacity and live summary.

Every figure comes from a use case called with the signed-in staff member, as the API's
handlers call them, so the page shows exactly what the API would: a manager's trucks
only, and to crew their truck's shift, devices and stock but not its figures nor the
fleet's. Live parts are small fragments the page polls with htmx (``dashboard.js``).
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import Template

from fusionx.core.model.paging import PageRequest
from fusionx.core.use_cases.queries.list_my_trucks import ListMyTrucks
from fusionx.core.use_cases.queries.list_shift_history import ListShiftHistory
from fusionx.core.use_cases.queries.list_truck_devices import ListTruckDevices
from fusionx.core.use_cases.queries.summarize_shift import SummarizeShift
from fusionx.core.use_cases.queries.view_capacity import ViewCapacity
from fusionx.core.use_cases.queries.view_shift_stock import ViewShiftStock
from fusionx.entrypoints.http.dependencies import AppAdapters, UseCase
from fusionx.entrypoints.web.access import PageAccess, page
from fusionx.entrypoints.web.dashboard_views import (
    FLEET_SHOWN,
    fleet_week,
    live_of,
    truck_week,
    unless_denied,
)
from fusionx.entrypoints.web.session import SignedIn

DASHBOARD_PATH = "/app/dashboard"


class FleetDashboardController(Controller):
    path = DASHBOARD_PATH

    @get(operation_id="showFleetDashboardPage", opt=page(PageAccess.STAFF))
    async def show(
        self,
        *,
        staff: SignedIn,
        adapters: AppAdapters,
        list_my_trucks: UseCase[ListMyTrucks],
        list_shift_history: UseCase[ListShiftHistory],
    ) -> Template:
        trucks = await list_my_trucks.execute(staff, PageRequest(limit=FLEET_SHOWN))
        week = await unless_denied(fleet_week(list_shift_history, staff, adapters.clock.now()))
        context = {"staff": staff.staff, "trucks": trucks, "week": week}
        return Template("dashboard/fleet.html", context=context)


class TruckDashboardController(Controller):
    path = "/app/trucks/{truck_id:uuid}/dashboard"

    @get(operation_id="showTruckDashboardPage", opt=page(PageAccess.STAFF))
    async def show(
        self,
        *,
        truck_id: FromPath[UUID],
        staff: SignedIn,
        adapters: AppAdapters,
        list_my_trucks: UseCase[ListMyTrucks],
        list_truck_devices: UseCase[ListTruckDevices],
        summarize_shift: UseCase[SummarizeShift],
        view_shift_stock: UseCase[ViewShiftStock],
        view_capacity: UseCase[ViewCapacity],
        list_shift_history: UseCase[ListShiftHistory],
    ) -> Template:
        live = await live_of(
            staff=staff,
            truck_id=truck_id,
            trucks=list_my_trucks,
            devices=list_truck_devices,
            summarize=summarize_shift,
            currency=adapters.currency,
        )
        shift = live.on_duty.shift
        week = await unless_denied(
            truck_week(
                history=list_shift_history,
                summarize=summarize_shift,
                staff=staff,
                truck_id=truck_id,
                now=adapters.clock.now(),
            )
        )
        context = {
            "staff": staff.staff,
            "live": live,
            "stock": await view_shift_stock.execute(staff, shift.id) if shift else None,
            "capacity": await view_capacity.for_shift(staff, shift.id) if shift else None,
            "week": week,
            "shift_id": shift.id if shift else None,
            "problem": None,
            "saved": False,
        }
        return Template("dashboard/truck.html", context=context)

    @get("/live", operation_id="showTruckLivePage", opt=page(PageAccess.STAFF))
    async def live(
        self,
        *,
        truck_id: FromPath[UUID],
        staff: SignedIn,
        adapters: AppAdapters,
        list_my_trucks: UseCase[ListMyTrucks],
        list_truck_devices: UseCase[ListTruckDevices],
        summarize_shift: UseCase[SummarizeShift],
    ) -> Template:
        live = await live_of(
            staff=staff,
            truck_id=truck_id,
            trucks=list_my_trucks,
            devices=list_truck_devices,
            summarize=summarize_shift,
            currency=adapters.currency,
        )
        return Template("dashboard/_live.html", context={"live": live})
