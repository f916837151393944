"""The signed-in staff member's home page: who they are, their trucks, sign-out."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from fusionx.core.model.paging import PageRequest
from fusionx.core.use_cases.queries.list_my_trucks import ListMyTrucks
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.web.access import PageAccess, page
from fusionx.entrypoints.web.session import HOME_PATH, SignedIn

# A home page lists what fits on a screen; a fleet larger than this gets its own page.
TRUCKS_SHOWN = 50


class HomeController(Controller):
    path = HOME_PATH

    @get(operation_id="showHomePage", opt=page(PageAccess.STAFF))
    async def show(self, staff: SignedIn, list_my_trucks: UseCase[ListMyTrucks]) -> Template:
        trucks = await list_my_trucks.execute(staff, PageRequest(limit=TRUCKS_SHOWN))
        return Template("home.html", context={"staff": staff.staff, "trucks": trucks.items})
