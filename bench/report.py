"""The run's figures as JSON (everything) and Markdown (the table, against the targets)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The targets, as ratios from one run.
FEED_VS_CEILING = 0.70
NOT_MODIFIED_VS_FEED = 3.0
TRANSITION_VS_CEILING = 0.50
ORDER_VS_CEILING = 0.50
STREAM_P99_MS = 50.0
STREAM_CLIENTS = 500
STREAM_EVENTS_PER_S = 20
RSS_MB = 150.0

SHARED_CORES = (
    "- **The load generator, the server and PostgreSQL share the machine's cores**: every "
    "figure is lower than each would reach alone, and CPU columns are % of one core."
)
_HEADER = (
    "| scenario | req/s (ok) | p50 ms | p99 ms | answers | server CPU | PostgreSQL CPU | wrk CPU |"
)
_SCENARIOS = (
    ("ceiling feed", "ceiling: feed query, raw asyncpg", (200,)),
    ("floor feed", "floor: Litestar, auth + head and feed query", (200,)),
    ("feed", "KDS feed `GET …/tickets`", (200,)),
    ("floor feed 304", "floor: auth + head → 304", (304,)),
    ("feed 304", "KDS feed, `If-None-Match` → 304", (304,)),
    ("ceiling update", "ceiling: guarded update, raw asyncpg", (200,)),
    ("floor transition, no auth", "floor: Litestar, guarded update, no bearer", (200,)),
    ("floor transition", "floor: Litestar, auth + guarded update", (200,)),
    ("transition", "ticket transition", (200,)),
    ("ceiling order", "ceiling: order with stock, raw asyncpg", (201,)),
    ("floor order", "floor: Litestar, auth + the ceiling's order", (201,)),
    ("order", "order with stock", (201,)),
)


# What each FusionX scenario may answer; anything else is an error. A 409 is an order
# that lost the race for the day's special, never a transition (their steps never clash).
_EXPECTED = {
    "feed": ("200",),
    "feed 304": ("304",),
    "transition": ("200",),
    "order": ("201", "409"),
}
_FLOOR_EXPECTED = {
    "floor feed": ("200",),
    "floor feed 304": ("304",),
    "floor transition, no auth": ("200",),
    "floor transition": ("200",),
    "floor order": ("201", "409"),
}


def ok_rps(scenario: dict[str, Any], *codes: int) -> float:
    """Requests per second answered with one of ``codes``: errors do not count as speed."""
    answered = sum(scenario["statuses"].get(str(code), 0) for code in codes)
    return answered / scenario["seconds"] if scenario["seconds"] else 0.0


def targets(round_: dict[str, Any], settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the issue: what it asks, what this round measured, met or not; and
    beside it the floor's figure (``floor``) and FusionX's as a fraction of it
    (``vs_floor``: FusionX's ratio over the floor's, which for the three rates against
    the ceiling is FusionX's rate over the floor's)."""
    s = round_["scenarios"]
    feed = ok_rps(s["feed"], 200)
    feed_ratio = _ratio(feed, ok_rps(s["ceiling feed"], 200))
    not_modified = _ratio(ok_rps(s["feed 304"], 304), feed)
    update = ok_rps(s["ceiling update"], 200)
    transition = _ratio(ok_rps(s["transition"], 200), update)
    order = _ratio(ok_rps(s["order"], 201), ok_rps(s["ceiling order"], 201))
    floor = _floor(round_)
    oversold = s["order"]["stock"]["oversold"]
    ceiling_oversold = s["ceiling order"]["stock"]["oversold"]
    stream = s["stream"]
    p99 = stream["commit_p99_ms"]  # from the commit: the stream's own cost
    faults = stream["lost"] + stream["duplicated"] + stream["out_of_order"]
    at_scale = settings["ws_clients"] >= STREAM_CLIENTS
    at_scale = at_scale and stream["events_per_s"] >= 0.95 * STREAM_EVENTS_PER_S
    rss = max(round_["rss_mb"]["fusionx_workers"], default=0.0)
    export = s["export"]
    errors = sum(_errors(s[key], expected) for key, expected in _EXPECTED.items())
    # The orders that publish both streams' events go through FusionX: one it did not
    # place (shed, or a timeout) is FusionX's error, not merely a slower stream.
    errors += sum(_unplaced(s[key]) for key in ("stream", "floor stream"))
    floor_errors = sum(_errors(s[key], expected) for key, expected in _FLOOR_EXPECTED.items())
    stream_p99 = (
        f"stream p99 ms from the commit ({stream['clients']} clients, "
        f"{stream['events_per_s']:g} events/s; from the order's `at`: {stream['p99_ms']})"
    )
    return [
        _row("KDS feed vs ceiling feed", feed_ratio, f">= {FEED_VS_CEILING:.2f}",
             met=feed_ratio >= FEED_VS_CEILING, floor=floor["feed"]),
        _row("304 vs full feed", not_modified, f">= {NOT_MODIFIED_VS_FEED:.1f}",
             met=not_modified >= NOT_MODIFIED_VS_FEED, floor=floor["304"]),
        _row("transition vs ceiling update", transition, f">= {TRANSITION_VS_CEILING:.2f}",
             met=transition >= TRANSITION_VS_CEILING, floor=floor["transition"]),
        _row("placed orders vs order ceiling", order, f">= {ORDER_VS_CEILING:.2f}",
             met=order >= ORDER_VS_CEILING, floor=floor["order"]),
        _row("FusionX errors: unexpected answers, socket errors", errors, "0", met=errors == 0),
        _row("floor errors: unexpected answers, socket errors", floor_errors, "0",
             met=floor_errors == 0),
        _row("units oversold", oversold, "0", met=oversold == 0),
        _row("units oversold by the ceiling", ceiling_oversold, "0", met=ceiling_oversold == 0),
        _row(stream_p99, p99, f"<= {STREAM_P99_MS:g} at {STREAM_CLIENTS} clients, "
             f"{STREAM_EVENTS_PER_S} events/s",
             met=p99 is not None and p99 <= STREAM_P99_MS and at_scale,
             floor=floor["stream p99"]),
        _row("stream events lost, duplicated or out of order", faults, "0", met=faults == 0,
             floor=floor["stream faults"], versus=False),
        _row("RSS per worker after the run, MB", rss, f"<= {RSS_MB:g}", met=0 < rss <= RSS_MB,
             floor=floor["rss"]),
        _row(f"worker RSS growth exporting {export['orders']:,} orders, MB",
             export["rss_growth_mb"], f"< {export['memory_bound_mb']:g}",
             met=export["within_bound"] and export["rows_complete"]),
        _row("export: time to first byte, ms", export["first_byte_ms"], "(recorded)", met=True),
    ]  # fmt: skip


def _unplaced(stream: dict[str, Any]) -> int:
    """Orders a stream run sent that FusionX did not place (its item is never scarce)."""
    return sum(n for code, n in stream["orders"].items() if code != "201")


def _errors(scenario: dict[str, Any], expected: tuple[str, ...]) -> int:
    unexpected = sum(n for code, n in scenario["statuses"].items() if code not in expected)
    return int(unexpected) + int(scenario["socket_errors"])


def _row(
    target: str,
    measured: object,
    wanted: str,
    *,
    met: bool,
    floor: float | None = None,
    versus: bool = True,
) -> dict[str, Any]:
    """A target's line; with ``floor``, the floor's figure and (``versus``) FusionX's
    over it: a fraction for a rate, a multiple for a latency or a size."""
    row = {"target": target, "measured": measured, "wanted": wanted, "met": met}
    if floor is not None:
        row["floor"] = floor
        if versus and isinstance(measured, int | float):
            row["vs_floor"] = _ratio(measured, floor)
    return row


def _floor(round_: dict[str, Any]) -> dict[str, float | None]:
    """The floor's figure for each target: its rates as ratios to the ceiling's, as
    FusionX's are; its stream's p99 from the commit and its worker's RSS after it."""
    s = round_["scenarios"]
    feed = ok_rps(s["floor feed"], 200)
    stream = s["floor stream"]
    faults = stream["lost"] + stream["duplicated"] + stream["out_of_order"]
    return {
        "feed": _ratio(feed, ok_rps(s["ceiling feed"], 200)),
        "304": _ratio(ok_rps(s["floor feed 304"], 304), feed),
        "transition": _ratio(ok_rps(s["floor transition"], 200), ok_rps(s["ceiling update"], 200)),
        "bare transition": _ratio(
            ok_rps(s["floor transition, no auth"], 200), ok_rps(s["ceiling update"], 200)
        ),
        "order": _ratio(ok_rps(s["floor order"], 201), ok_rps(s["ceiling order"], 201)),
        "stream p99": stream["commit_p99_ms"],
        "stream faults": faults,
        "rss": max(round_["rss_mb"]["floor_workers"], default=0.0),
    }


def _ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else 0.0


def analytics_targets(analytics: dict[str, Any]) -> list[dict[str, Any]]:
    """Each analytics query's slowest run against its target."""
    orders = f"{analytics['orders']:,} orders"
    return [
        _row(f"analytics: {q['query']} ({orders}), slowest of 5 ms", q["max_ms"],
             f"< {q['target_ms']:g}", met=q["met"])
        for q in analytics["queries"]
    ]  # fmt: skip


def write_json(results: dict[str, Any], path: Path) -> None:
    for round_ in results["rounds"]:
        round_["targets"] = targets(round_, results["settings"])
    if "analytics" in results:
        results["analytics"]["targets"] = analytics_targets(results["analytics"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")


def _cpu(cpu: dict[str, float], name: str) -> str:
    return f"{cpu.get(name, 0):.0f}"


def markdown(results: dict[str, Any]) -> str:
    m, st = results["machine"], results["settings"]
    software = (
        f"Python {m['python']}, PostgreSQL {m['postgresql']} (loopback), "
        f"granian {m['granian']}, Litestar {m['litestar']}, {m['wrk']}"
    )
    load = (
        f"wrk, {st['threads']} threads, {st['connections']} connections, "
        f"{st['duration_s']:g} s per scenario; fleet: {st['trucks']} trucks with open shifts, "
        f"{st['open_tickets_per_shift']} open tickets each, {st['menu_items']} menu items, "
        f"~{st['closed_tickets']} closed tickets"
    )
    out = [
        "## Run of " + results["date"],
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['os']}",
        f"- Software: {software}",
        f"- Command: `{results['command']}`",
        f"- Load: {load}.",
        SHARED_CORES,
        "",
    ]
    for round_ in results["rounds"]:
        out += _round(round_)
    if "analytics" in results:
        out += _analytics(results["analytics"])
    return "\n".join(out) + "\n"


def _analytics(analytics: dict[str, Any]) -> list[str]:
    rows, rollup = analytics["rows"], analytics["rollup"]
    seeded = ", ".join(f"{n:,} {table}" for table, n in rows.items())
    out = [
        "### Analytics (a year of 50 trucks)",
        "",
        f"Seeded by COPY in {analytics['seed_seconds']} s: {seeded}. Rolled up by the "
        f"job's use case: {rollup['shifts']:,} closed shifts in {rollup['seconds']} s ("
        + ", ".join(f"{n:,} {table}" for table, n in rollup["rows"].items())
        + "); today's 50 shifts stay open and are read from their rows by every query.",
        "",
        "| query | median ms | slowest of 5 ms | target ms | met |",
        "|---|---:|---:|---:|---|",
    ]
    for q in analytics["queries"]:
        out.append(f"| {q['query']} | {q['median_ms']} | {q['max_ms']} | < {q['target_ms']:g} | "
                   f"{'yes' if q['met'] else '**no**'} |")  # fmt: skip
    return [*out, ""]


def _round(round_: dict[str, Any]) -> list[str]:
    s = round_["scenarios"]
    out = [
        f"### {round_['workers']} worker(s)",
        "",
        _HEADER,
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for key, label, codes in _SCENARIOS:
        r = s[key]
        answers = ", ".join(f"{n} {code}" for code, n in r["statuses"].items())
        if r["socket_errors"]:
            answers += f", {r['socket_errors']} socket errors"
        cpu = r["cpu_percent"]
        out.append(
            f"| {label} | {ok_rps(r, *codes):,.0f} | {r['p50_ms']:g} | {r['p99_ms']:g} | "
            f"{answers} | {_cpu(cpu, 'server')} % | {_cpu(cpu, 'postgres')} % | "
            f"{_cpu(cpu, 'load generator')} % |"
        )
    stream, stock, rss = s["stream"], s["order"]["stock"], round_["rss_mb"]
    ceiling_stock, floor_stock = s["ceiling order"]["stock"], s["floor order"]["stock"]
    delivery = "FusionX's " + _delivery(stream)
    floor_delivery = (
        "The floor's " + _delivery(s["floor stream"]) + " The orders that drive both "
        "streams go through FusionX (its workers' CPU in the floor's run: "
        f"{_cpu(s['floor stream']['cpu_percent'], 'orders')} %); only who fans out differs."
    )
    floor = _floor(round_)
    apart = (
        f"Litestar's own cost, apart from the auth statement's: the floor's transition without a "
        f"bearer is {floor['bare transition']} of the ceiling's update, with the credential's "
        f"lookup {floor['transition']}; FusionX "
        f"{_ratio(ok_rps(s['transition'], 200), ok_rps(s['ceiling update'], 200))}."
    )
    after = (
        f"Stock after the order run: {stock['levels']} levels, {stock['sold_out']} sold out, "
        f"oversold {stock['oversold']} (after the ceiling's run: {ceiling_stock['sold_out']} "
        f"sold out, oversold {ceiling_stock['oversold']}; after the floor's: "
        f"{floor_stock['sold_out']} sold out, oversold {floor_stock['oversold']}). RSS after "
        f"the stream runs (MB): FusionX workers {rss['fusionx_workers']}, floor workers "
        f"{rss['floor_workers']}, ceiling workers {rss['ceiling_workers']}; before the "
        f"streams: FusionX {rss['before_streams']['fusionx']}, floor "
        f"{rss['before_streams']['floor']}."
    )
    out += [
        "",
        delivery,
        "",
        floor_delivery,
        "",
        apart,
        "",
        after,
        "",
        "| target | FusionX | floor | FusionX / floor | wanted | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for t in round_["targets"]:
        out.append(f"| {t['target']} | {t['measured']} | {t.get('floor', '')} | "
                   f"{t.get('vs_floor', '')} | {t['wanted']} | "
                   f"{'yes' if t['met'] else '**no**'} |")  # fmt: skip
    return [*out, ""]


def _delivery(stream: dict[str, Any]) -> str:
    cpu = stream["cpu_percent"]
    return (
        f"event stream: {stream['clients']} clients ({stream['connected']} connected) on one "
        f"shift, {stream['events_per_s']:g} events/s ({stream['events_published']} events, "
        f"{stream['received']} deliveries): publish-to-receive from the commit (its NOTIFY's "
        f"arrival) p50 {stream['commit_p50_ms']} ms, p90 {stream['commit_p90_ms']} ms, "
        f"p99 {stream['commit_p99_ms']} ms, max {stream['commit_max_ms']} ms; from the "
        f"event's `at` (stamped as the order is taken, before its statements) "
        f"p50 {stream['p50_ms']} ms, p90 {stream['p90_ms']} ms, p99 {stream['p99_ms']} ms, "
        f"max {stream['max_ms']} ms; "
        f"lost (not received a minute after the last publish) {stream['lost']}, "
        f"duplicated {stream['duplicated']}, out of order {stream['out_of_order']}. "
        f"CPU: server {_cpu(cpu, 'server')} %, PostgreSQL {_cpu(cpu, 'postgres')} %, "
        f"clients {_cpu(cpu, 'clients')} %."
    )
