from __future__ import annotations

from typing import Protocol

from fusionx.core.model.history import Cursor, OrderQuery, OrderRecord, ShiftQuery, ShiftRecord


class History(Protocol):
    """Past shifts and orders across days and trucks, read where they are (in SQL).

    Both lists are newest first, by (time, id): a shift's check-in, an order's creation.
    ``after`` is the (time, id) of the last item already read: the page holds the items
    strictly after it in that order, at most ``limit``. Items added meanwhile before the
    cursor never show up in later pages, nor push items already read into them.
    """

    async def shifts(
        self, query: ShiftQuery, *, after: Cursor | None, limit: int
    ) -> list[ShiftRecord]: ...

    async def orders(
        self, query: OrderQuery, *, after: Cursor | None, limit: int
    ) -> list[OrderRecord]: ...
