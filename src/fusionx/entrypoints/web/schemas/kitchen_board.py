"""What the kitchen board's script reads: the board as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

import msgspec

from fusionx.core.use_cases.queries.view_kitchen_board import KitchenBoard
from fusionx.entrypoints.http.schemas.close_out import AllDayItemView
from fusionx.ports.kitchen_feed import KdsTicketView


class BoardView(msgspec.Struct, frozen=True, kw_only=True):
    """``shift_id`` null off duty; ``last_seq``: the event the tickets are as of (the
    stream resumes after it)."""

    truck_id: UUID
    shift_id: UUID | None
    last_seq: int
    tickets: list[KdsTicketView]
    all_day: list[AllDayItemView]

    @classmethod
    def of(cls, board: KitchenBoard, now: datetime) -> Self:
        feed = board.feed
        return cls(
            truck_id=board.truck.id,
            shift_id=board.shift.id if board.shift else None,
            last_seq=feed.last_seq if feed else 0,
            tickets=[KdsTicketView.of(t, now) for t in feed.tickets] if feed else [],
            all_day=[AllDayItemView.of(count) for count in board.all_day],
        )
