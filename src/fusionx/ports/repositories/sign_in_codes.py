from __future__ import annotations

from datetime import datetime
from typing import Protocol

from fusionx.core.model.sign_in_codes import SignInCode


class SignInCodeRepository(Protocol):
    """One-time sign-in codes, by destination (``Destination.key``) and hash.

    ``consume`` is the one way a code is used: one guarded step marks it used and returns
    it, so of any number of units racing with the right code, exactly one gets it (the
    others get None once the winner commits). ``count_miss`` is one guarded step too:
    racing wrong guesses each count, and none is lost.
    """

    async def add(self, code: SignInCode) -> None:
        """Keep ``code``: the destination's other live codes stop working (used at its
        ``created_at``), so only the newest code sent works."""
        ...

    async def consume(self, destination: str, code_hash: str, now: datetime) -> SignInCode | None:
        """The destination's code of ``code_hash``, now marked used at ``now``, if it was
        never used, has not expired and has fewer than ``MAX_ATTEMPTS`` misses; else
        None and nothing changes."""
        ...

    async def count_miss(self, destination: str, now: datetime) -> None:
        """Count a wrong guess against the destination's live code, if it has one."""
        ...
