from __future__ import annotations

from datetime import datetime

import msgspec

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.pairing_codes import PairingCode


class InMemoryPairingCodeRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.pairing_codes

    async def add(self, code: PairingCode) -> None:
        self._rows[code.id] = code

    async def consume(self, code_hash: str, now: datetime) -> PairingCode | None:
        code = next((c for c in self._rows.values() if c.code_hash == code_hash), None)
        if code is None or not code.is_usable_at(now):
            return None
        used = msgspec.structs.replace(code, used_at=now)
        self._rows[code.id] = used
        return used
