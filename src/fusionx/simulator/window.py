"""The order window: places random orders at a steady average rate."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from fusionx.simulator.api import Full, MenuItem, ModifierGroup, Shortage
from fusionx.simulator.messages import TicketView

_CUSTOMERS = ("Ada", "Bo", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", None, None)
MAX_QUANTITY = 2
MAX_LINES = 3


class OrderTaker(Protocol):
    async def place_order(
        self, shift_id: str, lines: list[dict[str, Any]], customer_name: str | None = None
    ) -> TicketView | Shortage | Full: ...


def random_lines(menu: Sequence[MenuItem], rng: random.Random) -> list[dict[str, Any]]:
    """1 to 3 lines of distinct items, 1 or 2 of each, with modifiers a customer could
    choose: between each group's minimum and maximum of its distinct options."""
    items = rng.sample(list(menu), k=rng.randint(1, min(MAX_LINES, len(menu))))
    return [
        {
            "item_id": item.id,
            "quantity": rng.randint(1, MAX_QUANTITY),
            "modifiers": [
                option for group in item.modifier_groups for option in _choose(group, rng)
            ],
        }
        for item in items
    ]


def _choose(group: ModifierGroup, rng: random.Random) -> list[str]:
    options = [option.id for option in group.options]
    most = min(group.max_choices, len(options))
    return rng.sample(options, k=rng.randint(min(group.min_choices, most), most))


class Window:
    """Places ``orders`` orders, waiting an exponential time between them (a Poisson
    stream of customers at ``rate`` a second), and calls ``halfway`` once midway."""

    def __init__(
        self,
        taker: OrderTaker,
        shift_id: str,
        menu: Sequence[MenuItem],
        *,
        orders: int,
        rate: float,
        rng: random.Random,
    ) -> None:
        self._taker = taker
        self._shift_id = shift_id
        self._menu = menu
        self._orders = orders
        self._rate = rate
        self._rng = rng
        self.placed: list[TicketView] = []
        self.refused = 0
        # Refused by the shift's capacity (throttle or full slot): expected, not a failure.
        self.full: list[Full] = []

    async def run(self, halfway: Callable[[], Awaitable[None]]) -> None:
        for attempt in range(1, self._orders + 1):
            if attempt > 1:
                await asyncio.sleep(self._rng.expovariate(self._rate))
            result = await self._taker.place_order(
                self._shift_id, random_lines(self._menu, self._rng), self._rng.choice(_CUSTOMERS)
            )
            if isinstance(result, Shortage):
                self.refused += 1
            elif isinstance(result, Full):
                self.full.append(result)
            else:
                self.placed.append(result)
            if attempt == max(1, self._orders // 2):
                await halfway()
