"""What a simulation found, for the terminal: a progress line and the summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from fusionx.simulator.checker import SeqChecker
from fusionx.simulator.messages import OPEN_TICKET_STATES, TICKET_STATES


def progress_line(
    elapsed: float, placed: int, wanted: int, tickets: Counter[str], checker: SeqChecker
) -> str:
    states = " ".join(f"{state} {tickets[state]}" for state in TICKET_STATES[:4])
    return (
        f"[{elapsed:6.1f}s] orders {placed}/{wanted} | tickets {states} | "
        f"events {checker.received} (seq {checker.last_seq})"
    )


@dataclass(kw_only=True)
class SimulationReport:
    shift_id: str
    truck_id: str
    reused_shift: bool
    seconds: float
    orders_wanted: int
    orders_placed: int
    orders_refused: int
    kitchen_moves: int
    kitchen_conflicts: int
    double_taps: int
    double_wins: int
    tickets_completed: int
    checker: SeqChecker
    events_by_type: Counter[str]
    connections: int
    resumed_at: list[int]
    unplanned_drops: int
    pings: int
    shift_last_seq: int
    rest_seq: int
    tickets_by_state: Counter[str]
    orders_full: int = 0
    next_free_slot: str | None = None
    rest_differences: list[str] = field(default_factory=list)
    board_anomalies: list[str] = field(default_factory=list)

    @property
    def stream_problems(self) -> list[str]:
        found = []
        if not self.checker.clean:
            found.append("the stream skipped, repeated or reordered events")
        if self.checker.missing:
            found.append(f"never received seq {_some(self.checker.missing)}")
        if self.checker.last_seq != self.shift_last_seq:
            found.append(
                f"stream ends at seq {self.checker.last_seq}, the shift at {self.shift_last_seq}"
            )
        if self.rest_seq != self.shift_last_seq:
            found.append(
                f"the ticket list is at seq {self.rest_seq}, the shift at {self.shift_last_seq}"
            )
        found += self.board_anomalies + self.rest_differences
        if not self.resumed_at:
            found.append("the planned reconnect did not happen")
        return found

    @property
    def run_problems(self) -> list[str]:
        found = []
        if still_open := sum(self.tickets_by_state[state] for state in OPEN_TICKET_STATES):
            found.append(f"{still_open} tickets still open at the end")
        if self.double_wins:
            found.append(f"{self.double_wins} moves were accepted twice from the same version")
        return found

    @property
    def clean(self) -> bool:
        return not (self.stream_problems or self.run_problems)

    def render(self) -> str:
        c = self.checker
        events = ", ".join(f"{kind} {n}" for kind, n in sorted(self.events_by_type.items()))
        resumed = ", ".join(f"after seq {seq}" for seq in self.resumed_at) or "never"
        how = "reused the open shift" if self.reused_shift else "checked in"
        states = ", ".join(f"{s} {self.tickets_by_state[s]}" for s in TICKET_STATES)
        agree = f"{len(self.rest_differences)} differ" if self.rest_differences else "match"
        problems = self.stream_problems + self.run_problems
        lines = [
            f"shift {self.shift_id} of truck {self.truck_id} ({how}), {self.seconds:.1f}s",
            _row(
                "orders placed",
                f"{self.orders_placed}/{self.orders_wanted} ({self.orders_refused} short of stock)",
            ),
            *_capacity_row(self.orders_full, self.next_free_slot),
            _row("tickets completed", self.tickets_completed),
            _row("kitchen moves", f"{self.kitchen_moves} accepted"),
            _row(
                "",
                f"{self.double_taps} sent twice at once; "
                f"{self.kitchen_conflicts} refused as stale, re-read",
            ),
            _row("events received", f"{c.received}: {events or 'none'}"),
            _row("websocket", f"{self.connections} connections, resumed {resumed}"),
            _row("", f"{self.unplanned_drops} unplanned drops, {self.pings} pings answered"),
            "stream check",
            _row("gaps", c.gaps),
            _row("duplicates", c.duplicates),
            _row("out of order", c.out_of_order),
            _row(
                "last seq",
                f"stream {c.last_seq}, shift {self.shift_last_seq}, tickets {self.rest_seq}",
            ),
            _row("tickets vs REST", f"{agree} ({states})"),
            *(f"  problem: {problem}" for problem in problems[:20]),
            "result: " + ("FAILED" if problems else "clean"),
        ]
        return "\n".join(lines)


def _capacity_row(full: int, next_free_slot: str | None) -> list[str]:
    if not full:
        return []
    slot = f"; next free slot {next_free_slot}" if next_free_slot else ""
    return [_row("", f"{full} refused for capacity{slot}")]


def _row(label: str, value: object) -> str:
    return f"  {label:<20}{value}"


def _some(numbers: list[int], limit: int = 10) -> str:
    shown = ", ".join(map(str, numbers[:limit]))
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")
