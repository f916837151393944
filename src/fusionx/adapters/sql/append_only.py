"""The audit trail's guard: the database itself refuses to change or remove a record.

On PostgreSQL a trigger raises on every UPDATE and DELETE of ``fleet_events``; on
SQLite two triggers abort them. Someone with the rights to drop or disable a trigger can
still edit a row: the hash chain (``fusionx audit verify``) is what tells.
"""

from __future__ import annotations

TABLE = "fleet_events"

POSTGRES_CREATE = (
    (
        "CREATE FUNCTION fleet_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'fleet_events is append-only: % refused', TG_OP "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    ),
    (
        "CREATE TRIGGER fleet_events_append_only BEFORE UPDATE OR DELETE ON fleet_events "
        "FOR EACH ROW EXECUTE FUNCTION fleet_events_append_only()"
    ),
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS fleet_events_append_only ON fleet_events",
    "DROP FUNCTION IF EXISTS fleet_events_append_only()",
)

SQLITE_CREATE = tuple(
    f"CREATE TRIGGER fleet_events_no_{verb.lower()} BEFORE {verb} ON fleet_events "
    f"BEGIN SELECT RAISE(ABORT, 'fleet_events is append-only: {verb} refused'); END"
    for verb in ("UPDATE", "DELETE")
)
SQLITE_DROP = tuple(
    f"DROP TRIGGER IF EXISTS fleet_events_no_{verb}" for verb in ("update", "delete")
)


def create_statements(dialect: str) -> tuple[str, ...]:
    return POSTGRES_CREATE if dialect == "postgresql" else SQLITE_CREATE


def drop_statements(dialect: str) -> tuple[str, ...]:
    return POSTGRES_DROP if dialect == "postgresql" else SQLITE_DROP
