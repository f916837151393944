"""How autogenerate compares the tables with a live schema, minus known false alarms."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.types import GUID
from alembic.runtime.migration import MigrationContext


def compare_type(
    context: MigrationContext,
    _inspected_column: Any,
    _metadata_column: Any,
    _inspected_type: Any,
    metadata_type: Any,
) -> bool | None:
    """Alembic's type comparison, except for GUID columns on SQLite.

    SQLite reflects the BINARY(16) that GUID creates there as NUMERIC(16) (BINARY is not
    a type it knows, so it falls back to an affinity), which is no real difference.
    ``None`` leaves every other column to Alembic's own comparison.
    """
    if context.dialect.name == "sqlite" and isinstance(metadata_type, GUID):
        return False
    return None


def included_on(dialect: str) -> Any:
    """An ``include_object`` hook: an index the tables build on one dialect only
    (``Index(...).ddl_if(dialect="postgresql")``, the trigram indexes) is not expected
    on another."""

    def include_object(
        item: Any, _name: str | None, kind: str, reflected: bool, _compare_to: Any
    ) -> bool:
        only_on = getattr(getattr(item, "_ddl_if", None), "dialect", None)
        return not (kind == "index" and not reflected and only_on not in (None, dialect))

    return include_object
