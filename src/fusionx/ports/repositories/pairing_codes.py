from __future__ import annotations

from datetime import datetime
from typing import Protocol

from fusionx.core.model.pairing_codes import PairingCode


class PairingCodeRepository(Protocol):
    """Device pairing codes, found by their hash only.

    ``consume`` is the one way a code is used: one guarded step marks it used and returns
    it, so of any number of units racing with the right code, exactly one gets it (the
    others get None once the winner commits).
    """

    async def add(self, code: PairingCode) -> None: ...

    async def consume(self, code_hash: str, now: datetime) -> PairingCode | None:
        """The code of ``code_hash``, now marked used at ``now``, if it was never used and
        has not expired; else None and nothing changes."""
        ...
