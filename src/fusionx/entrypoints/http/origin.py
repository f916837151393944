"""Where a request's changes come from, handed to its units of work.

Each request's use cases get units of work that know the client's address and the
request's id (``Origin``), so every fleet event they log carries them without a use
case passing them along. The core only ever sees the ``Origin``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from litestar.connection import ASGIConnection

from fusionx.core.model.audit import Origin
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.request_context import request_id_of
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

AddressOf = Callable[[ASGIConnection[Any, Any, Any, Any]], str]


class _UnitsFrom:
    """A ``UnitOfWorkFactory`` whose units carry ``origin``."""

    def __init__(self, units: UnitOfWorkFactory, origin: Origin) -> None:
        self._units = units
        self._origin = origin

    def __call__(self) -> UnitOfWork:
        unit = self._units()
        unit.origin = self._origin
        return unit


def origin_of(scope: Any, address_of: AddressOf) -> Origin:
    """The client's address (proxies taken into account) and the request's id."""
    return Origin(
        address=address_of(ASGIConnection(scope)), request_id=request_id_of(scope) or None
    )


def from_origin(adapters: Adapters, origin: Origin) -> Adapters:
    """``adapters`` whose writing units of work carry ``origin``."""
    return replace(adapters, uow=_UnitsFrom(adapters.uow, origin))
