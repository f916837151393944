"""What handlers may ask for by name, besides ``principal`` (see ``auth``)."""

from __future__ import annotations

from litestar.di import NamedDependency

from fusionx.entrypoints.bootstrap import Adapters

# The ports chosen by the composition root: handlers build their use case from them.
AppAdapters = NamedDependency[Adapters]

# Where the request came from, proxies taken into account (see ``client_address``).
ClientAddress = NamedDependency[str]
