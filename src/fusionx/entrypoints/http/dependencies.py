"""What handlers may ask for by name, besides ``principal`` (see ``auth``)."""

from __future__ import annotations

from typing import Any

from litestar.di import NamedDependency, Provide
from litestar.types import Scope

from fusionx.entrypoints.bootstrap import Adapters

# The ports chosen by the composition root: handlers build their use case from them.
AppAdapters = NamedDependency[Adapters]

# Where the request came from, proxies taken into account (see ``client_address``).
ClientAddress = NamedDependency[str]

_ADAPTERS_KEY = "fusionx.adapters"


def use_adapters(scope: Any, adapters: Adapters) -> None:
    """Give one request adapters of its own (see ``idempotency``), for its handler."""
    scope.setdefault("state", {})[_ADAPTERS_KEY] = adapters


def adapters_provider(adapters: Adapters) -> Provide:
    """The ``adapters`` dependency: the app's, unless the request was given its own."""

    def provide(scope: Scope) -> Adapters:  # HTTP or WebSocket
        own: Adapters | None = scope.get("state", {}).get(_ADAPTERS_KEY)
        return adapters if own is None else own

    return Provide(provide, sync_to_thread=False)
