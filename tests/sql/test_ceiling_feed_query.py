"""The benchmark's ceiling must run the kitchen feed's own statement, or its ratio lies."""

from __future__ import annotations

from bench.ceiling import FEED_SQL, OPEN_STATES

from fusionx.adapters.sql.repositories.tickets import pg_feed_unless_held
from fusionx.core.model.tickets import TicketState


def test_the_ceiling_builds_the_tickets_as_fusionx_does_on_postgresql() -> None:
    # FusionX reads the shift's head in the same statement (and builds the tickets only
    # for a client that lacks them); the ceiling runs the tickets' subquery alone.
    states = frozenset(TicketState(state) for state in OPEN_STATES)
    fusionx = " ".join(pg_feed_unless_held(states).split())
    ceiling = " ".join(FEED_SQL.split())

    assert fusionx.endswith(f" ELSE ( {ceiling} ) END FROM shifts s WHERE s.id = $1")
