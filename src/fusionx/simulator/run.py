"""One simulated shift: sign in, check in, restock, then the window and the kitchen at
work while the event stream is followed and checked, and a comparison with REST."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Coroutine
from typing import Any, TextIO

from fusionx.simulator.api import FusionxApi
from fusionx.simulator.board import TicketBoard, differences
from fusionx.simulator.checker import Arrival, SeqChecker
from fusionx.simulator.config import SimulationConfig
from fusionx.simulator.errors import SimulationError
from fusionx.simulator.kitchen import Kitchen
from fusionx.simulator.messages import TICKET_STATES, StreamEvent, TicketView
from fusionx.simulator.report import SimulationReport, progress_line
from fusionx.simulator.stream import EventStream
from fusionx.simulator.window import Window

MAX_DELTA = 100_000


def run_simulation(config: SimulationConfig, out: TextIO) -> int:
    """0 when the stream check is clean, 1 when not; SimulationError if it cannot run."""
    report = asyncio.run(_unwrapped(Simulation(config, out).run()))
    print(report.render(), file=out)
    return 0 if report.clean else 1


async def _unwrapped(run: Coroutine[Any, Any, SimulationReport]) -> SimulationReport:
    """Raise a task group's SimulationError as itself, so the CLI can print one line."""
    try:
        return await run
    except ExceptionGroup as group:
        failure = group.subgroup(SimulationError)
        if failure is None:
            raise
        raise _first(failure) from group


def _first(group: BaseExceptionGroup[SimulationError]) -> SimulationError:
    error = group.exceptions[0]
    return _first(error) if isinstance(error, BaseExceptionGroup) else error


class Simulation:
    def __init__(self, config: SimulationConfig, out: TextIO) -> None:
        self._config = config
        self._out = out
        self._rng = random.Random(config.seed)  # noqa: S311 - a simulation, not a secret
        self._board = TicketBoard()
        self._checker = SeqChecker()
        self._events = Counter[str]()
        self._kitchen: Kitchen | None = None
        self._advanced = asyncio.Event()
        self._started = time.monotonic()

    async def run(self) -> SimulationReport:
        api = FusionxApi(self._config.base_url)
        try:
            return await self._run(api)
        finally:
            await api.aclose()

    async def _run(self, api: FusionxApi) -> SimulationReport:
        config = self._config
        await api.log_in(config.email, config.password)
        truck_id, shift_id, reused = await self._shift(api)
        self._say(
            f"{'using open' if reused else 'checked in,'} shift {shift_id} of truck {truck_id}"
        )
        menu = await api.menu(shift_id)
        if not menu:
            raise SimulationError("the menu is empty: run `fusionx seed --demo` first")
        for item in menu:
            await api.restock(shift_id, item.id, min(MAX_DELTA, config.orders * 3 + 20))
        # Only what a customer could order now: in its window and (restocked) in stock.
        orderable = [item for item in await api.menu(shift_id) if item.orderable]
        if not orderable:
            raise SimulationError("no item on the menu can be ordered now (see `available_from`)")
        self._say(
            f"restocked the menu; {len(orderable)} of {len(menu)} menu items can be ordered now"
        )
        menu = orderable

        # The kitchen display's way in: a snapshot, then the events after it.
        snapshot_seq, snapshot = await api.tickets(shift_id)
        self._board.load(snapshot)
        self._checker = SeqChecker(start=snapshot_seq)
        stream = EventStream(
            base_url=api.base_url,
            shift_id=shift_id,
            token=api.token,
            resume_from=lambda: self._checker.last_seq,
            deliver=self._on_event,
        )
        window = Window(api, shift_id, menu, orders=config.orders, rate=config.rate, rng=self._rng)
        async with asyncio.TaskGroup() as tasks:
            following = tasks.create_task(stream.follow())
            await stream.connected.wait()
            self._say(f"following events after seq {snapshot_seq}")
            kitchen = self._kitchen = Kitchen(
                api,
                spawn=tasks.create_task,
                prep_seconds=config.prep_seconds,
                rng=self._rng,
                double_tap=config.double_tap,
            )
            for ticket in snapshot:
                kitchen.take(ticket)
            progress = tasks.create_task(self._progress(window))
            await window.run(halfway=stream.drop)
            # The kitchen hears of tickets from the stream: let it hear of the last ones.
            await self._stream_reaches(await self._shift_seq(api, shift_id))
            if not await self._within(kitchen.finished(), "the kitchen to finish"):
                kitchen.stop()
            if config.checkout:
                await api.check_out(shift_id)
            shift_seq, rest_seq, rest = await self._settle(api, shift_id)
            await stream.stop()
            progress.cancel()
            await following
        return SimulationReport(
            shift_id=shift_id,
            truck_id=truck_id,
            reused_shift=reused,
            seconds=time.monotonic() - self._started,
            orders_wanted=config.orders,
            orders_placed=len(window.placed),
            orders_refused=window.refused,
            orders_full=len(window.full),
            next_free_slot=window.full[-1].next_slot if window.full else None,
            kitchen_moves=kitchen.moves,
            kitchen_conflicts=kitchen.conflicts,
            double_taps=kitchen.double_taps,
            double_wins=kitchen.double_wins,
            tickets_completed=kitchen.completed,
            checker=self._checker,
            events_by_type=self._events,
            connections=stream.connections,
            resumed_at=stream.resumed_at,
            unplanned_drops=stream.unplanned_drops,
            pings=stream.pings,
            shift_last_seq=shift_seq,
            rest_seq=rest_seq,
            tickets_by_state=Counter(t.state for tickets in rest.values() for t in tickets),
            rest_differences=differences(self._board, rest),
            board_anomalies=self._board.anomalies,
        )

    async def _shift(self, api: FusionxApi) -> tuple[str, str, bool]:
        """The truck, the shift to use, and whether it was open already."""
        config = self._config
        me = await api.me()
        trucks = me.get("truck_ids") or []
        truck_id = str(config.truck_id) if config.truck_id else (trucks[0] if trucks else None)
        if config.shift_id is not None:
            shift = await api.shift(str(config.shift_id))
            shift_id, reused = str(shift["id"]), True
        elif truck_id is None:
            raise SimulationError(f"{config.email} has no truck of their own: give --truck")
        else:
            shift_id, reused = await api.check_in(truck_id, await self._location(api))
            shift = await api.shift(shift_id)
        if shift["state"] == "paused":
            await api.resume(shift_id)
        elif shift["state"] != "open":
            raise SimulationError(f"shift {shift_id} is {shift['state']}: it takes no orders")
        return str(shift.get("truck_id", truck_id)), shift_id, reused

    async def _location(self, api: FusionxApi) -> str:
        """Where to check in: ``--location``, else the first active location."""
        if self._config.location_id is not None:
            return str(self._config.location_id)
        location = await api.first_location()
        if location is None:
            raise SimulationError("there is no active location: add one (fusionx create-location)")
        self._say(f"checking in at {location['name']} ({location['id']})")
        return str(location["id"])

    def _on_event(self, event: StreamEvent) -> None:
        arrival = self._checker.observe(event.seq)
        self._advanced.set()
        if arrival is Arrival.DUPLICATE:
            return  # counted; applying it again would corrupt the board
        self._events[event.type] += 1
        ticket = self._board.apply(event)
        if ticket is not None and self._kitchen is not None:
            self._kitchen.take(ticket)

    async def _settle(
        self, api: FusionxApi, shift_id: str
    ) -> tuple[int, int, dict[str, list[TicketView]]]:
        """Wait until the stream has caught up with the shift, then read REST's view."""
        deadline = time.monotonic() + self._config.settle_seconds
        while True:
            shift_seq = await self._shift_seq(api, shift_id)
            await self._stream_reaches(shift_seq)
            rest_seq, tickets = await api.tickets(shift_id)
            if rest_seq == shift_seq or time.monotonic() >= deadline:
                by_state: dict[str, list[TicketView]] = {state: [] for state in TICKET_STATES}
                for ticket in tickets:
                    by_state[ticket.state].append(ticket)
                return shift_seq, rest_seq, by_state

    @staticmethod
    async def _shift_seq(api: FusionxApi, shift_id: str) -> int:
        return int((await api.shift(shift_id))["last_seq"])

    async def _stream_reaches(self, seq: int) -> None:
        """Wait (up to the settle time) until the stream has delivered ``seq``."""
        deadline = time.monotonic() + self._config.settle_seconds
        while self._checker.last_seq < seq and (left := deadline - time.monotonic()) > 0:
            self._advanced.clear()
            try:
                await asyncio.wait_for(self._advanced.wait(), left)
            except TimeoutError:
                return

    async def _progress(self, window: Window) -> None:
        while True:
            await asyncio.sleep(1.0)
            self._say(
                progress_line(
                    time.monotonic() - self._started,
                    len(window.placed),
                    self._config.orders,
                    self._board.counts(),
                    self._checker,
                )
            )

    async def _within(self, work: Awaitable[None], what: str) -> bool:
        timeout = self._config.settle_seconds + 3 * self._config.prep_seconds
        try:
            async with asyncio.timeout(timeout):
                await work
        except TimeoutError:
            self._say(f"gave up waiting {timeout:.0f}s for {what}")
            return False
        return True

    def _say(self, line: str) -> None:
        print(line, file=self._out, flush=True)
