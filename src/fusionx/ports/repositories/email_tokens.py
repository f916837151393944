from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.email_tokens import EmailToken, TokenPurpose


class EmailTokenRepository(Protocol):
    """Single-use email tokens by the hash of their secret; ``token_hash`` is unique.

    ``consume`` is the one way a token is used: it marks it used and returns it in one
    step, so of any number of units racing to consume one token, exactly one gets it
    (the others get None, once the winner commits; nothing if the winner rolls back).
    """

    async def add(self, token: EmailToken) -> None: ...

    async def consume(
        self, token_hash: str, purpose: TokenPurpose, now: datetime
    ) -> EmailToken | None:
        """The token, now marked used at ``now``, if it exists for ``purpose``, was never
        used and has not expired at ``now``; else None and nothing changes."""
        ...

    async def discard_for(self, staff_id: UUID, purpose: TokenPurpose, now: datetime) -> None:
        """Mark used every live token of ``staff_id`` for ``purpose``: a newer one, or the
        change it was for, makes them moot."""
        ...
