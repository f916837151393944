"""What handlers may ask for by name, besides ``principal`` (see ``auth``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation
from litestar.types import Scope

from fusionx.core.model.principals import OperatorPrincipal
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.locales import accepted_languages
from fusionx.entrypoints.http.origin import AddressOf, from_origin, origin_of
from fusionx.entrypoints.use_cases import BUILDERS

T = TypeVar("T")

# The ports chosen by the composition root (a handler may want its clock); use cases are
# not built from them in handlers, but asked for by name, as ``UseCase`` below.
AppAdapters = NamedDependency[Adapters]

# A use case, built for the request by the builder of the same name in
# ``entrypoints/use_cases.py``: ``transition_ticket: UseCase[TransitionTicket]``.
UseCase = NamedDependency[SkipValidation[T]]

# Who calls, as a use case's provider sees it: None on a public handler (see ``auth``).
Caller = NamedDependency[SkipValidation[OperatorPrincipal | None]]

# Where the request came from, proxies taken into account (see ``client_address``).
ClientAddress = NamedDependency[str]
# What the client says it is, for the list of sessions: shown, never trusted.
UserAgent = NamedDependency[SkipValidation[str | None]]
# The languages of the request's Accept-Language, best first (see ``locales``).
Languages = NamedDependency[SkipValidation[tuple[str, ...]]]

_ADAPTERS_KEY = "fusionx.adapters"


def use_adapters(scope: Any, adapters: Adapters) -> None:
    """Give one request adapters of its own (see ``idempotency``), for its handler."""
    scope.setdefault("state", {})[_ADAPTERS_KEY] = adapters


def adapters_provider(adapters: Adapters, address_of: AddressOf) -> Provide:
    """The ``adapters`` dependency: the app's, unless the request was given its own,
    with units of work that know where the request came from (``origin``)."""

    def provide(scope: Scope) -> Adapters:  # HTTP or WebSocket
        own: Adapters | None = scope.get("state", {}).get(_ADAPTERS_KEY)
        return from_origin(adapters if own is None else own, lambda: origin_of(scope, address_of))

    return Provide(provide, sync_to_thread=False)


def provide_user_agent(scope: Scope) -> str | None:
    """The ``user_agent`` dependency: the request's ``User-Agent`` header, if any."""
    for name, value in scope.get("headers", ()):
        if name == b"user-agent":
            return value.decode("latin-1")
    return None


def provide_languages(scope: Scope) -> tuple[str, ...]:
    """The ``languages`` dependency: the request's ``Accept-Language``, best first."""
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return tuple(accepted_languages(value.decode("latin-1")))
    return ()


def use_case_providers() -> dict[str, Provide]:
    """One dependency per use case, named as its builder, built from the request's
    ``adapters`` (so a request given its own adapters gets use cases built from them).

    A use case also names the ``principal`` (None on a public handler), which names the
    ``adapters``, though neither needs the other: Litestar resolves the dependencies of
    one depth together, in an anyio task group with a task each, and for three attribute
    look-ups that cost a few hundred Python calls and event-loop turns on every request
    (a sixth of the kitchen feed's). Chained, each depth holds one dependency.
    """
    return {name: _provider(build) for name, build in BUILDERS.items()}


def _provider(build: Callable[[Adapters], object]) -> Provide:
    def provide(adapters: AppAdapters, principal: Caller) -> object:
        del principal  # named for the order only, see `use_case_providers`
        return build(adapters)

    return Provide(provide, sync_to_thread=False)
