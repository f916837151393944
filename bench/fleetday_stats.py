"""What the fleet-day's clients saw, kept compact enough to send as one JSON line per
process, merged by the driver, and written as a table.

Latencies go into histograms with three significant digits (0.1 % apart at worst), so a
percentile read off the merged histogram is within that of the exact one.
"""

from __future__ import annotations

import time
from collections import Counter
from itertools import pairwise
from typing import Any

import httpx

SOLD_OUT = "refused: sold out"  # the day's special ran out: the product's answer, not an error
CAPACITY = "refused: capacity"


def _bucket(seconds: float) -> str:
    return f"{seconds * 1000:.3g}"


class Recorder:
    """One process's answers by route, errors by kind, stream lag and event accounting."""

    def __init__(self) -> None:
        self.latency: dict[str, Counter[str]] = {}
        self.per_second: Counter[int] = Counter()  # answers by second of the day
        self.errors: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()
        self.moves: Counter[str] = Counter()
        self.lag_ms: Counter[str] = Counter()
        self.events = {"expected": 0, "received": 0, "lost": 0, "duplicated": 0,
                       "out_of_order": 0}  # fmt: skip
        self._started = 0.0
        self.wall = 0.0

    def start(self) -> None:
        self._started = time.monotonic()

    def stop(self) -> None:
        self.wall = time.monotonic() - self._started

    def answer(self, route: str, seconds: float) -> None:
        self.latency.setdefault(route, Counter())[_bucket(seconds)] += 1
        self.per_second[int(time.monotonic() - self._started)] += 1

    def error(self, route: str, kind: str) -> None:
        self.errors[f"{route}: {kind}"] += 1

    def refusal(self, route: str, response: httpx.Response) -> None:
        if response.status_code == 409 and route == "order":
            body = response.json() if response.content else {}
            if "shortages" in body:
                self.refusals[SOLD_OUT] += 1
                return
            if body.get("type") == "/problems/capacity-full":
                self.refusals[CAPACITY] += 1
                return
        self.error(route, f"{response.status_code} {response.text[:80]}")

    def moved(self, target: str) -> None:
        self.moves[target] += 1

    def lag(self, seconds: float) -> None:
        self.lag_ms[_bucket(max(0.0, seconds))] += 1

    def stream(self, after: int, final: int, seqs: list[int]) -> None:
        """One device's events: every seq in (after, final] once, in order."""
        seen = set(seqs)
        self.events["expected"] += final - after
        self.events["received"] += len(seqs)
        self.events["lost"] += len(set(range(after + 1, final + 1)) - seen)
        self.events["duplicated"] += len(seqs) - len(seen)
        self.events["out_of_order"] += sum(1 for a, b in pairwise(seqs) if b <= a)

    def report(self) -> dict[str, Any]:
        return {
            "wall_s": self.wall,
            "latency_ms": {route: dict(h) for route, h in self.latency.items()},
            "per_second": {str(s): n for s, n in self.per_second.items()},
            "errors": dict(self.errors),
            "refusals": dict(self.refusals),
            "moves": dict(self.moves),
            "lag_ms": dict(self.lag_ms),
            "events": self.events,
        }


def percentile(histogram: Counter[float], percent: float) -> float | None:
    count = sum(histogram.values())
    if not count:
        return None
    rank, seen = percent / 100 * count, 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= rank:
            return ms
    return max(histogram)


def _summary(histogram: Counter[float], duration: float) -> dict[str, Any]:
    count = sum(histogram.values())
    return {
        "requests": count,
        "per_s": round(count / duration, 1),
        "p50_ms": percentile(histogram, 50),
        "p99_ms": percentile(histogram, 99),
        "max_ms": max(histogram, default=None),
    }


def merge(reports: list[dict[str, Any]], duration: float) -> dict[str, Any]:
    """The processes' reports as one: per route, total, stream lag, errors, events."""
    routes: dict[str, Counter[float]] = {}
    per_second: Counter[int] = Counter()
    lag: Counter[float] = Counter()
    errors: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    moves: Counter[str] = Counter()
    events: Counter[str] = Counter()
    for report in reports:
        for route, histogram in report["latency_ms"].items():
            routes.setdefault(route, Counter()).update({float(k): n for k, n in histogram.items()})
        per_second.update({int(s): n for s, n in report["per_second"].items()})
        lag.update({float(k): n for k, n in report["lag_ms"].items()})
        errors.update(report["errors"])
        refusals.update(report["refusals"])
        moves.update(report["moves"])
        events.update(report["events"])
    total: Counter[float] = Counter()
    for histogram in routes.values():
        total.update(histogram)
    seconds = [per_second.get(s, 0) for s in range(int(duration))]
    windows = [sum(seconds[s : s + 10]) / 10 for s in range(0, max(1, len(seconds) - 9), 10)]
    return {
        "routes": {r: _summary(h, duration) for r, h in sorted(routes.items())},
        "total": _summary(total, duration) | {
            "slowest_10s_window_per_s": min(windows, default=0.0),
            "fastest_10s_window_per_s": max(windows, default=0.0),
        },
        "stream_lag_ms": {
            "events": sum(lag.values()),
            "p50": percentile(lag, 50), "p99": percentile(lag, 99), "max": max(lag, default=None),
        },
        "events": dict(events),
        "errors": dict(errors),
        "refusals": dict(refusals),
        "moves": dict(moves),
    }  # fmt: skip


def failures(result: dict[str, Any]) -> list[str]:
    """Why the run fails, if it does: any error, lost event, or unit oversold."""
    day = result["day"]
    found = [f"{n} x {kind}" for kind, n in day["errors"].items()]
    found += [f"{n} events {what}" for what in ("lost", "duplicated", "out_of_order")
              if (n := day["events"].get(what, 0))]  # fmt: skip
    streams = result["settings"]["trucks"] * result["settings"]["devices"]
    if result["streams_connected"] < streams:
        found.append(f"{result['streams_connected']} of {streams} streams opened at the start")
    if result["stock"]["oversold"]:
        found.append(f"stock: {result['stock']}")
    if result["server_log_errors"]:
        found.append(f"{result['server_log_errors']} error lines in the server's log")
    return found


def markdown(result: dict[str, Any]) -> str:
    day, settings = result["day"], result["settings"]
    lines = [
        "# Fleet day", "",
        (f"{result['date']}, `{result['command']}`: {settings['trucks']} trucks, "
         f"{settings['devices']} devices each, {settings['rate']:g} orders/s, "
         f"{settings['duration_s']:g} s, {result['workers']} worker(s). The load generator, "
         "the server and PostgreSQL share this machine's cores."), "",
        "| route | requests | req/s | p50 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for route, s in [*day["routes"].items(), ("total", day["total"])]:
        lines.append(
            f"| {route} | {s['requests']} | {s['per_s']} | {s['p50_ms']} | {s['p99_ms']} "
            f"| {s['max_ms']} |"
        )
    lag, events, cpu = day["stream_lag_ms"], day["events"], result["cpu_percent"]
    lines += [
        "",
        (f"Total req/s over 10 s windows: slowest {day['total']['slowest_10s_window_per_s']}, "
         f"fastest {day['total']['fastest_10s_window_per_s']}."),
        (f"Stream lag (event's time to a device holding it) over {lag['events']} deliveries: "
         f"p50 {lag['p50']} ms, p99 {lag['p99']} ms, max {lag['max']} ms."),
        (f"Events: {events.get('expected', 0)} expected, {events.get('received', 0)} received, "
         f"{events.get('lost', 0)} lost, {events.get('duplicated', 0)} duplicated, "
         f"{events.get('out_of_order', 0)} out of order."),
        "CPU (% of one core): " + ", ".join(f"{k} {v}" for k, v in cpu.items()) + ".",
        "CPU ms per answered request, all its work included: "
        + ", ".join(f"{k} {v}" for k, v in result["cpu_ms_per_request"].items()) + ".",
        (f"PostgreSQL transactions per answered request (streams' and reactions' included): "
         f"{result['postgres_transactions_per_request']}."),
        f"RSS of the workers after the day (MB): {result['rss_mb']['fusionx_workers']}.",
        f"Ticket moves: {day['moves']}. Refusals (the product's answers): {day['refusals']}.",
        f"Stock: {result['stock']['oversold']} oversold ({result['stock']}).",
        (f"Errors: {day['errors'] or 'none'}; error lines in the server's log: "
         f"{result['server_log_errors']}."),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"
