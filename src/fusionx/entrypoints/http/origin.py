"""Where a request's changes come from, handed to its units of work.

Each request's use cases get units of work that know the client's address and the
request's id (``Origin``), so every fleet event they log carries them without a use
case passing them along. The core only ever sees the ``Origin``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection

from fusionx.core.model.audit import Origin
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.request_context import request_id_of
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

AddressOf = Callable[[ASGIConnection[Any, Any, Any, Any]], str]


class _UnitsFrom:
    """A ``UnitOfWorkFactory`` whose units carry the origin ``origin()`` returns, asked
    for once, when the first unit is made: a request that writes nothing (most reads)
    never works out its client's address."""

    def __init__(self, units: UnitOfWorkFactory, origin: Callable[[], Origin]) -> None:
        self._units = units
        self._origin_of = origin
        self._origin: Origin | None = None

    def __call__(self) -> UnitOfWork:
        if self._origin is None:
            self._origin = self._origin_of()
        unit = self._units()
        unit.origin = self._origin
        return unit


def origin_of(scope: Any, address_of: AddressOf) -> Origin:
    """The client's address (proxies taken into account) and the request's id."""
    return Origin(
        address=address_of(ASGIConnection(scope)), request_id=request_id_of(scope) or None
    )


def from_origin(adapters: Adapters, origin: Callable[[], Origin]) -> Adapters:
    """``adapters`` whose writing units of work carry ``origin()``."""
    # A shallow copy given its own ``uow``: made for every request, where
    # ``dataclasses.replace`` would run the frozen ``__init__`` over every adapter.
    own = copy.copy(adapters)
    object.__setattr__(own, "uow", _UnitsFrom(adapters.uow, origin))
    return own
