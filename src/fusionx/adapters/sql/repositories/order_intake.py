"""``ShiftRepository.order_intake`` on PostgreSQL: the shift, the menu excerpt of the
ordered items at its truck and location (``menu_excerpt``), the capacity limits in force
and the kitchen's load, in one statement and one snapshot. What ``SqlShiftRepository``
reads in four (the shift, ``excerpt``, and ``outlook``'s one).

Its last three columns are what the reactions to the order's events would otherwise read
at commit, while the order holds its stock and shift rows: the truck's audience
(``audience.pg_audience_of``), every active webhook endpoint (``webhooks.PG_ENDPOINTS``)
and the ordered items' low-stock thresholds on the shift
(``notification_settings.pg_thresholds_of``). The repository leaves them in the unit's
memos.

Parameters: ``$1`` the shift, ``$2`` the item ids. No row when there is no such shift.

The ticket states that count as queued are written into the text, not sent
(``mapping.sql_words``): as a parameter, the planner could not tell the queued tickets (a
few a shift) from all of them and planned the statement again at every order, 1.4 ms a
call against 0.4 (docs/benchmarks.md, fifth pass).
"""

from __future__ import annotations

from fusionx.adapters.sql.mapping import sql_words
from fusionx.adapters.sql.repositories.audience import pg_audience_of
from fusionx.adapters.sql.repositories.menu_excerpt import excerpt_of
from fusionx.adapters.sql.repositories.notification_settings import pg_thresholds_of
from fusionx.adapters.sql.repositories.webhooks import PG_ENDPOINTS
from fusionx.core.model.capacity import QUEUED_STATES
from fusionx.core.rules.capacity import RECENT_PREPS

ORDER_INTAKE = f"""
WITH sh AS MATERIALIZED (
    SELECT id, truck_id, location_id, state, opened_at, opened_by_kind, opened_by_id, closed_at
    FROM shifts WHERE id = $1
)
SELECT
    sh.id, sh.truck_id, sh.location_id, sh.state, sh.opened_at, sh.opened_by_kind,
    sh.opened_by_id, sh.closed_at,
    ({excerpt_of(truck="sh.truck_id", items="$2::uuid[]", location="sh.location_id")}),
    (
        SELECT count(*) FROM tickets q
        WHERE q.shift_id = sh.id AND q.state IN ({sql_words(QUEUED_STATES)})
    ),
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
    ({pg_thresholds_of("sh.id", "$2::uuid[]")})
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
