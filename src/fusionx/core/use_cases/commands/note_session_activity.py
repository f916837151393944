from __future__ import annotations

from datetime import timedelta

from fusionx.core.model.principals import Principal, StaffPrincipal
from fusionx.core.rules.access import require_operator
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWorkFactory

# How stale a session's "last seen" may get: its only write on the request path.
SESSION_SEEN_EVERY = timedelta(minutes=5)


class NoteSessionActivity:
    """Record that a staff session was used, for its "last seen".

    Rules:
    - at most once per ``every`` per session: a request whose session was recorded
      within it writes nothing and opens no unit of work (authentication read when it
      was last recorded, in its one statement);
    - the write is one guarded statement: workers racing on one session record it once;
    - device credentials are not recorded here: a device's heartbeats say when it was
      last seen.
    """

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, every: timedelta = SESSION_SEEN_EVERY
    ) -> None:
        self._units = uow
        self._clock = clock
        self._every = every

    async def execute(self, principal: Principal) -> None:
        caller = require_operator(principal)
        if not isinstance(caller, StaffPrincipal):
            return
        now = self._clock.now()
        seen = caller.token_seen_at
        if seen is not None and now - seen < self._every:
            return
        async with self._units() as uow:
            await uow.tokens.seen(caller.token_id, now, unless_since=now - self._every)
            await uow.commit()
