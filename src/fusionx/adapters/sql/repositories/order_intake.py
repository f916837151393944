"""``ShiftRepository.order_intake`` on PostgreSQL: the shift, the menu excerpt of the
ordered items at its truck and location (``menu_excerpt``), the capacity limits in force
and the kitchen's load, in one statement and one snapshot. What ``SqlShiftRepository``
reads in four (the shift, ``excerpt``, and ``outlook``'s one).

Three more columns are what the reactions to the order's events would otherwise read
at commit, while the order holds its stock and shift rows: the truck's audience
(``audience.pg_audience_of``), every active webhook endpoint (``webhooks.PG_ENDPOINTS``)
and the ordered items' low-stock thresholds on the shift
(``notification_settings.pg_thresholds_of``). The repository leaves them in the unit's
memos.

Parameters: ``$1`` the shift, ``$2`` the item ids. No row when there is no such shift.

The ticket states that count as queued are written into the text, not sent: the
statement is prepared once per connection, and PostgreSQL plans it once (a generic plan)
only when that plan looks no dearer than one made for the values at hand. With the
states a parameter, the planner could not tell the queued tickets (a few a shift) from
all of them and re-planned the statement at every order: 1.4 ms a call against 0.4
(docs/benchmarks.md, fifth pass).

Its last column tells PostgreSQL to plan the rest of the order's transaction generically
(``set_config``, local to the transaction: the connection goes back to the pool as it
came). The statements that follow (the stock take, the shift's hold, the order with its
events, the reactions' inserts) fetch rows by key from arrays of the order's few lines,
and their generic plan is the one made for the values at hand; but the planner, which
takes a parameter array to hold ten items, judges it several times dearer and would
plan the stock take again at every order (1.16 ms a take against 0.71). Nothing in an
order's transaction leans on a partial index whose condition a parameter fills, which a
generic plan could not use.
"""

from __future__ import annotations

from fusionx.adapters.sql.repositories.audience import pg_audience_of
from fusionx.adapters.sql.repositories.menu_excerpt import excerpt_of
from fusionx.adapters.sql.repositories.notification_settings import pg_thresholds_of
from fusionx.adapters.sql.repositories.webhooks import PG_ENDPOINTS
from fusionx.core.model.capacity import QUEUED_STATES
from fusionx.core.rules.capacity import RECENT_PREPS

# Ticket states are fixed words of ours, never input: safe to write into the SQL.
_QUEUED = ", ".join(f"'{state.value}'" for state in sorted(QUEUED_STATES))

ORDER_INTAKE = f"""
WITH sh AS MATERIALIZED (
    SELECT id, truck_id, location_id, state, opened_at, opened_by_kind, opened_by_id, closed_at
    FROM shifts WHERE id = $1
)
SELECT
    sh.id, sh.truck_id, sh.location_id, sh.state, sh.opened_at, sh.opened_by_kind,
    sh.opened_by_id, sh.closed_at,
    ({excerpt_of(truck="sh.truck_id", items="$2::uuid[]", location="sh.location_id")}),
    (SELECT count(*) FROM tickets q WHERE q.shift_id = sh.id AND q.state IN ({_QUEUED})),
    (
        SELECT json_agg(latest.seconds ORDER BY latest.ready_at, latest.id)::text
        FROM (
            SELECT round(extract(epoch FROM p.ready_at - p.prep_at), 3)::float8 AS seconds,
                p.ready_at, p.id
            FROM tickets p
            WHERE p.shift_id = sh.id AND p.ready_at IS NOT NULL AND p.prep_at IS NOT NULL
            ORDER BY p.ready_at DESC, p.id DESC
            LIMIT {RECENT_PREPS}
        ) latest
    ),
    in_force.limits::text, in_force.updated_at, in_force.updated_by_kind,
    in_force.updated_by_id,
    ({pg_audience_of("sh.truck_id")}),
    ({PG_ENDPOINTS}),
    ({pg_thresholds_of("sh.id", "$2::uuid[]")}),
    set_config('plan_cache_mode', 'force_generic_plan', true)
FROM sh
LEFT JOIN LATERAL (
    SELECT 0 AS rank, limits, updated_at, updated_by_kind, updated_by_id
    FROM shift_capacity WHERE shift_id = sh.id
    UNION ALL
    SELECT 1, limits, updated_at, updated_by_kind, updated_by_id
    FROM truck_capacity WHERE truck_id = sh.truck_id
    ORDER BY rank
    LIMIT 1
) in_force ON true
"""  # noqa: S608 - statements of ours
