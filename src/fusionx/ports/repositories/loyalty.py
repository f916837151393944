from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.loyalty import LoyaltyEntry
from fusionx.core.model.paging import Page, PageRequest


class LoyaltyLedger(Protocol):
    """Loyalty entries of customer accounts; ``key`` is unique in the ledger.

    A balance is the sum of an account's entries, read in the unit's own transaction.
    """

    async def record(self, entry: LoyaltyEntry) -> bool:
        """Add ``entry``; False, and nothing changes, when an entry of its key exists
        already (a replay: the first stands), even one a racing unit just committed."""
        ...

    async def balance(self, customer_id: UUID) -> int: ...

    async def for_order(self, order_id: UUID) -> list[LoyaltyEntry]:
        """The order's entries, oldest first."""
        ...

    async def entries(self, customer_id: UUID, page: PageRequest) -> Page[LoyaltyEntry]:
        """An account's entries, the newest first."""
        ...
