"""The floor's authentication: FusionX's one statement for a bearer credential, copied.

What ``Authenticate`` decides from it (a live token; a device not revoked, staff active;
a customer's credential refused with 403), without the principal objects around it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from uuid import UUID

import asyncpg
from litestar import MediaType, Response

# FusionX's credential lookup on PostgreSQL (``access_tokens._WITH_HOLDER`` as SQLAlchemy
# compiles it for asyncpg), with its parameters: the three holder kinds, then the hash.
# Copied, not imported; a test keeps the two the same.
AUTH_SQL = """
SELECT access_tokens.id, access_tokens.token_hash, access_tokens.kind,
    access_tokens.subject_id, access_tokens.created_at, access_tokens.expires_at,
    access_tokens.revoked_at, access_tokens.user_agent, access_tokens.client_address,
    access_tokens.last_seen_at, staff.id AS id_1, staff.email, staff.name, staff.role,
    staff.password_hash, staff.created_at AS created_at_1, staff.phone, staff.active,
    staff.locale, staff_trucks.truck_id, devices.id AS id_2, devices.truck_id AS truck_id_1,
    devices.label, devices.platform, devices.app_version, devices.os_version,
    devices.registered_by, devices.created_at AS created_at_2,
    devices.last_seen_at AS last_seen_at_1, devices.revoked_at AS revoked_at_1,
    devices.last_event_seq, devices.battery_percent, devices.queue_depth, devices.stale_since,
    customers.id AS id_3, customers.created_at AS created_at_3, customers.email AS email_1,
    customers.phone AS phone_1, customers.name AS name_1, customers.locale AS locale_1,
    customers.active AS active_1
FROM access_tokens
LEFT OUTER JOIN staff ON access_tokens.kind = $1::VARCHAR AND staff.id = access_tokens.subject_id
LEFT OUTER JOIN staff_trucks ON staff_trucks.staff_id = staff.id
LEFT OUTER JOIN devices
    ON access_tokens.kind = $2::VARCHAR AND devices.id = access_tokens.subject_id
LEFT OUTER JOIN customers
    ON access_tokens.kind = $3::VARCHAR AND customers.id = access_tokens.subject_id
WHERE access_tokens.token_hash = $4::VARCHAR
"""
AUTH_KINDS = ("staff", "device", "customer")
# ``tickets._PG_FEED_HEAD``: the shift's truck (for the access check) and its last seq.
HEAD_SQL = "SELECT truck_id, last_seq FROM shifts WHERE id = $1"
ANYONE = UUID(int=0)  # live staff: the floor does not model roles; the bench sends devices
_REFUSED = Response(b'{"status":401}', status_code=401, media_type=MediaType.JSON)
_FORBIDDEN = Response(b'{"status":403}', status_code=403, media_type=MediaType.JSON)


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of ``Authorization: Bearer <secret>``, else None (``auth.bearer_secret``)."""
    scheme, _, secret = (authorization or "").partition(" ")
    secret = secret.strip()
    return secret if scheme.lower() == "bearer" and secret else None


def hash_secret(secret: str) -> str:
    """As ``credentials.hash_secret``: credentials are looked up by this hash only."""
    return hashlib.sha256(secret.encode()).hexdigest()


async def holder(pool: asyncpg.Pool, secret: str) -> UUID | Response[bytes]:
    """The truck of a live device credential (``ANYONE`` for live staff), or the refusal
    FusionX's ``Authenticate`` gives: one statement."""
    row = await pool.fetchrow(AUTH_SQL, *AUTH_KINDS, hash_secret(secret))
    if row is None or row["revoked_at"] is not None:
        return _REFUSED
    if row["expires_at"] is not None and row["expires_at"] <= datetime.now(UTC):
        return _REFUSED
    if row["id_2"] is not None and row["revoked_at_1"] is None:
        truck: UUID = row["truck_id_1"]
        return truck
    if row["id_1"] is not None and row["active"]:
        return ANYONE
    return _FORBIDDEN if row["id_3"] is not None and row["active_1"] else _REFUSED
