"""The fleet always keeps an active owner: nobody else can undo a mistake an owner made."""

from __future__ import annotations

from collections.abc import Set
from uuid import UUID

from fusionx.core.errors import Conflict
from fusionx.core.messages import Message
from fusionx.core.model.staff import StaffMember


def require_an_owner_remains(
    before: StaffMember, after: StaffMember, active_owners: Set[UUID]
) -> None:
    """Refuse a change that takes the last active owner away (a demotion or a deactivation).

    ``active_owners`` must be read so that no other unit can change it before this one
    commits (``StaffRepository.lock_active_owners``): else two owners demoting each other
    at once would each see the other remain.
    """
    if before.is_active_owner and not after.is_active_owner and not active_owners - {before.id}:
        raise Conflict(Message("staff.last_owner"), staff_id=str(before.id))
