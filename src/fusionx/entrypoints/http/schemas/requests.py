"""The base of every request body, and of every object inside one."""

from __future__ import annotations

import msgspec


class RequestBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A field the schema does not name is refused, naming it, never silently dropped:
    ``"qty": 5`` for ``quantity`` is a mistake the client must hear of.

    Subclasses repeat ``frozen=True, kw_only=True``, which msgspec would inherit, for
    type checkers, which do not see it inherited."""
