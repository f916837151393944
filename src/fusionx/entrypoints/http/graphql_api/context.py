"""What a resolver reads with: the caller, the query use cases, and per-request loaders.

``ReadContext.query`` builds only the use cases marked ``@reading`` (their unit of work
refuses to commit): the GraphQL side cannot write, whatever a resolver asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader
from strawberry.litestar import BaseContext
from strawberry.types import Info

from fusionx.core.errors import AuthenticationRequired
from fusionx.core.messages import Message
from fusionx.core.model.paging import MAX_PAGE_SIZE, PageRequest
from fusionx.core.model.principals import OperatorPrincipal
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.use_cases.queries.list_locations import ListLocationsRequest
from fusionx.core.use_cases.queries.list_trucks import ListTrucksRequest
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.dependencies import AppAdapters, Caller
from fusionx.entrypoints.use_cases import READING

T = TypeVar("T")


class Loaders:
    """Trucks and locations named by the rows of a list, read in one batch per request
    (one list read for all of them, not one read per row), as the caller may see them:
    one outside their scope is null."""

    def __init__(self, principal: OperatorPrincipal, adapters: Adapters) -> None:
        self._principal = principal
        self._adapters = adapters
        self._trucks: DataLoader[UUID, Truck | None] = DataLoader(self._load_trucks)
        self._locations: DataLoader[UUID, Location | None] = DataLoader(self._load_locations)

    async def truck(self, truck_id: UUID) -> Truck | None:
        return await self._trucks.load(truck_id)

    async def location(self, location_id: UUID) -> Location | None:
        return await self._locations.load(location_id)

    async def _load_trucks(self, ids: list[UUID]) -> list[Truck | None]:
        list_trucks = reading(self._adapters, use_cases.list_trucks)
        found: dict[UUID, Truck] = {}
        offset = 0
        while True:
            page = await list_trucks.execute(
                self._principal,
                ListTrucksRequest(page=PageRequest(limit=MAX_PAGE_SIZE, offset=offset)),
            )
            found.update((truck.id, truck) for truck in page.items)
            offset += MAX_PAGE_SIZE
            if offset >= page.total or _all_in(ids, found):
                return [found.get(truck_id) for truck_id in ids]

    async def _load_locations(self, ids: list[UUID]) -> list[Location | None]:
        list_locations = reading(self._adapters, use_cases.list_locations)
        found: dict[UUID, Location] = {}
        offset = 0
        while True:
            page = await list_locations.execute(
                self._principal,
                ListLocationsRequest(page=PageRequest(limit=MAX_PAGE_SIZE, offset=offset)),
            )
            found.update((n.location.id, n.location) for n in page.items)
            offset += MAX_PAGE_SIZE
            if offset >= page.total or _all_in(ids, found):
                return [found.get(location_id) for location_id in ids]


def _all_in(ids: Iterable[UUID], found: dict[UUID, Any]) -> bool:
    return all(key in found for key in ids)


def reading(adapters: Adapters, build: Callable[[Adapters], T]) -> T:
    """The use case ``build`` makes, refused unless it only reads."""
    if getattr(build, "__name__", "") not in READING:
        raise TypeError(f"{build!r} is not a reading use case")
    return build(adapters)


class ReadContext(BaseContext, kw_only=True):
    principal: OperatorPrincipal
    adapters: Adapters
    loaders: Loaders

    def query(self, build: Callable[[Adapters], T]) -> T:
        return reading(self.adapters, build)


ReadInfo = Info[ReadContext, None]


async def provide_context(principal: Caller, adapters: AppAdapters) -> ReadContext:
    """The ``custom_context`` dependency of the GraphQL controller."""
    if principal is None:  # pragma: no cover - the handler declares its principal
        raise AuthenticationRequired(Message("auth.bearer_required"))
    return ReadContext(principal=principal, adapters=adapters, loaders=Loaders(principal, adapters))
