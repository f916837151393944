"""What a serving worker's memory is made of (issue #20): ``python -m bench.memory``.

Two measures, neither timed, so a busy machine does not move them:

``imports``
    The worker's app built (``app_from_environment``, on a throwaway SQLite database) in a
    fresh interpreter, each module's import metered on its own: the resident memory (RSS)
    it added and, in a second run under tracemalloc, the Python heap it added, children
    excluded, summed per library (per package for ours).
``serve``
    A real ``fusionx serve --workers 1`` on embedded SQLite with the demo data: the
    worker's RSS idle, after a few requests of each hot route, and with ``--ws-clients``
    WebSocket clients following one shift's events (then again once they have left).

``python -m bench.memory [imports|serve] [--ws-clients N] [--top N]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

_PAGE = resource.getpagesize()
_MB = 1024 * 1024


def resident(pid: int | str = "self") -> int:
    """Resident bytes of a process (``VmRSS``)."""
    with Path(f"/proc/{pid}/statm").open() as statm:
        return int(statm.read().split()[1]) * _PAGE


# --- imports ---------------------------------------------------------------------------


def _library(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "fusionx" or len(parts) < 3:
        return parts[0]
    return ".".join(parts[:3] if parts[1] in {"adapters", "entrypoints"} else parts[:2])


def _probe_imports(traced: bool) -> None:
    """In a fresh interpreter: build the worker's app, metering every module's import."""
    import importlib._bootstrap as bootstrap  # noqa: PLC0415

    if traced:
        import tracemalloc  # noqa: PLC0415

        tracemalloc.start()

        def measure() -> int:
            return tracemalloc.get_traced_memory()[0]
    else:
        measure = resident

    own: dict[str, int] = defaultdict(int)
    children: list[int] = [0]
    load = bootstrap._load_unlocked  # type: ignore[attr-defined]

    def metered_load(spec: Any) -> Any:
        children.append(0)
        before = measure()
        try:
            return load(spec)
        finally:
            spent = measure() - before
            inner = children.pop()
            own[_library(spec.name)] += spent - inner
            children[-1] += spent

    bootstrap._load_unlocked = metered_load  # type: ignore[attr-defined]
    start = measure()
    from fusionx.entrypoints.http.asgi import app_from_environment  # noqa: PLC0415

    imported = measure()
    app_from_environment()
    built = measure()
    bootstrap._load_unlocked = load  # type: ignore[attr-defined]
    print(
        json.dumps(
            {
                "bare": start,
                "import": imported - start,
                "build": built - imported,
                "imported_by_build": children[0] - (imported - start),
                "own": own,
                "modules": len(sys.modules),
            }
        )
    )


def _run_probe(traced: bool, database: Path) -> dict[str, Any]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("FUSIONX_")}
    env["FUSIONX_DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    env["FUSIONX_LOG_LEVEL"] = "WARNING"
    command = [sys.executable, "-m", "bench.memory", "_probe", *(["--traced"] if traced else [])]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        sys.exit(f"bench.memory: the import probe failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def measure_imports(top: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        rss = _run_probe(traced=False, database=Path(scratch) / "rss.db")
        heap = _run_probe(traced=True, database=Path(scratch) / "heap.db")
    print("## Building a worker's app (fresh interpreter, SQLite)\n")
    print("| step | RSS MB | Python heap MB |")
    print("|---|---:|---:|")
    print(f"| bare interpreter | {rss['bare'] / _MB:.1f} | |")
    for step, label in (
        ("import", "import fusionx.entrypoints.http.asgi"),
        ("build", "app_from_environment()"),
        ("imported_by_build", "  of which modules it imported"),
    ):
        print(f"| {label} | {rss[step] / _MB:.1f} | {heap[step] / _MB:.1f} |")
    total = rss["bare"] + rss["import"] + rss["build"]
    print(f"| **worker app, total** | **{total / _MB:.1f}** | |")
    print(f"\n{rss['modules']} modules loaded.\n")
    print(f"## What each library's modules add on import (children excluded), top {top}\n")
    print("| library | RSS MB | Python heap MB |")
    print("|---|---:|---:|")
    names = sorted(rss["own"], key=lambda name: -rss["own"][name])
    for name in names[:top]:
        print(f"| {name} | {rss['own'][name] / _MB:.2f} | {heap['own'].get(name, 0) / _MB:.2f} |")
    rest = sum(rss["own"][name] for name in names[top:])
    rest_heap = sum(heap["own"].get(name, 0) for name in names[top:])
    print(f"| {len(names) - top} others | {rest / _MB:.2f} | {rest_heap / _MB:.2f} |")


# --- serve -----------------------------------------------------------------------------

_TRACE_DIR = "BENCH_MEMORY_TRACE_DIR"


def traced_app() -> Any:
    """granian's factory under ``--trace``: the worker's app, under tracemalloc. A file
    ``take-<name>`` in the trace directory has a snapshot written to ``<name>.snapshot``."""
    import threading  # noqa: PLC0415
    import tracemalloc  # noqa: PLC0415

    from fusionx.entrypoints.http.asgi import app_from_environment  # noqa: PLC0415

    tracemalloc.start(12)
    app = app_from_environment()
    directory = Path(os.environ[_TRACE_DIR])

    def take_snapshots() -> None:
        while True:
            for request in directory.glob("take-*"):
                name = request.name.removeprefix("take-")
                request.unlink()
                tracemalloc.take_snapshot().dump(str(directory / f"{name}.partial"))
                (directory / f"{name}.partial").rename(directory / f"{name}.snapshot")
            time.sleep(0.2)

    threading.Thread(target=take_snapshots, daemon=True).start()
    return app


def _snapshot(directory: Path, name: str) -> Any:
    import tracemalloc  # noqa: PLC0415

    (directory / f"take-{name}").touch()
    taken = directory / f"{name}.snapshot"
    while not taken.exists():
        time.sleep(0.2)
    return tracemalloc.Snapshot.load(str(taken))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


@contextmanager
def _server(data: Path, port: int, *, traced: bool) -> Iterator[int]:
    """``fusionx serve`` with one worker (or, traced, granian with the same app and
    ``traced_app``'s snapshots); yields the worker's pid once it answers."""
    import httpx  # noqa: PLC0415

    env = {name: value for name, value in os.environ.items() if not name.startswith("FUSIONX_")}
    env |= {"FUSIONX_DATA_DIR": str(data), "FUSIONX_LOG_LEVEL": "WARNING", _TRACE_DIR: str(data)}
    command = [str(Path(sys.executable).with_name("fusionx")), "serve", "--port", str(port)]
    if traced:
        command = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory"]
        command += ["--port", str(port), "bench.memory:traced_app"]
    with (data / "serve.log").open("w") as log:
        server = subprocess.Popen(  # noqa: S603
            [*command, "--workers", "1"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health/live").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                sys.exit("bench.memory: the server did not answer within five minutes")
            (worker,) = _children(server.pid)
            yield worker
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                for child in _children(server.pid):
                    os.kill(child, signal.SIGKILL)
                server.kill()
                server.wait()


def _seed(data: Path) -> dict[str, Any]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("FUSIONX_")}
    env["FUSIONX_DATA_DIR"] = str(data)
    fusionx = str(Path(sys.executable).with_name("fusionx"))
    seeded = subprocess.run(  # noqa: S603
        [fusionx, "seed", "--demo", "--json"], env=env, capture_output=True, text=True, check=True
    )
    fleet: dict[str, Any] = json.loads(seeded.stdout)
    return fleet


class _Requests:
    """The hot routes' requests, as the demo's owner and its TruckKDS tablet send them."""

    def __init__(self, client: httpx.Client, fleet: dict[str, Any]) -> None:
        self._client = client
        self._fleet = fleet
        self._staff: dict[str, str] = {}
        self.device = {"Authorization": f"Bearer {fleet['device']['credential']}"}
        self.shift = ""

    def sign_in(self) -> None:
        owner = next(a for a in self._fleet["accounts"] if a["role"] == "owner")
        body = {"email": owner["email"], "password": self._fleet["password"]}
        answer = self._client.post("/api/v1/auth/login", json=body).raise_for_status()
        self._staff = {"Authorization": f"Bearer {answer.json()['token']}"}

    def check_in(self) -> None:
        truck = self._fleet["device"]["truck_id"]
        body = {"truck_id": truck, "location_id": self._fleet["locations"][0]["id"]}
        shift = self._client.post("/api/v1/shifts", json=body, headers=self._staff)
        self.shift = shift.raise_for_status().json()["id"]

    def orders(self, count: int = 20) -> None:
        item = self._fleet["categories"][0]["items"][0]["id"]
        for _ in range(count):
            body = {"lines": [{"item_id": item, "quantity": 1}]}
            path = f"/api/v1/shifts/{self.shift}/orders"
            self._client.post(path, json=body, headers=self.device).raise_for_status()

    def feed(self) -> None:
        path = f"/api/v1/shifts/{self.shift}/tickets"
        for _ in range(20):
            etag = self._client.get(path, headers=self.device).raise_for_status().headers["ETag"]
            self._client.get(path, headers={**self.device, "If-None-Match": etag})

    def transitions(self) -> None:
        path = f"/api/v1/shifts/{self.shift}/tickets"
        tickets = self._client.get(path, headers=self.device).raise_for_status().json()
        for ticket in tickets["tickets"][:10]:
            self._client.post(
                f"/api/v1/tickets/{ticket['id']}/transitions",
                json={"to": "in_prep", "version": ticket["version"]},
                headers=self.device,
            ).raise_for_status()

    def graphql(self) -> None:
        query = "{ trucks { total items { id name } } }"
        for _ in range(5):
            answer = self._client.post(
                "/api/v1/graphql", json={"query": query}, headers=self._staff
            )
            if "errors" in answer.raise_for_status().json():
                sys.exit(f"bench.memory: GraphQL answered {answer.text}")

    def languages(self) -> None:
        for language in ("es", "fr", "en"):
            headers = {**self._staff, "Accept-Language": language}
            path = "/api/v1/shifts/00000000-0000-7000-8000-000000000000"
            self._client.get(path, headers=headers)

    def openapi(self) -> None:
        self._client.get("/schema/openapi.json").raise_for_status()


async def _hold_clients(
    url: str, credential: str, count: int, while_held: Callable[[], None]
) -> None:
    """``count`` clients connected and caught up, ``while_held`` run (in a thread), then
    the clients gone."""
    from websockets.asyncio.client import connect  # noqa: PLC0415

    gate = asyncio.Semaphore(50)
    connected = asyncio.Event()
    release = asyncio.Event()
    ready = 0

    async def client() -> None:
        nonlocal ready
        async with gate:
            socket = await connect(
                url, additional_headers={"Authorization": f"Bearer {credential}"}
            )
        async with socket:
            ready += 1
            if ready == count:
                connected.set()
            await release.wait()

    tasks = [asyncio.create_task(client()) for _ in range(count)]
    await asyncio.wait_for(connected.wait(), 120)
    await asyncio.sleep(3)  # catch-up sent, handlers parked
    await asyncio.to_thread(while_held)
    release.set()
    await asyncio.gather(*tasks)
    await asyncio.sleep(3)


def _where(snapshot_before: Any, snapshot_held: Any, clients: int, top: int) -> None:
    """What the clients' connections hold, by the innermost frame of ours or Litestar's."""
    held: defaultdict[str, int] = defaultdict(int)
    for stat in snapshot_held.compare_to(snapshot_before, "traceback"):
        frames = [
            f for f in reversed(stat.traceback) if "/site-packages/granian/" not in f.filename
        ]
        ours = next(
            (f for f in frames if "/fusionx/" in f.filename or "/litestar/" in f.filename),
            stat.traceback[-1],
        )
        where = ours.filename.split("/src/")[-1].split("/site-packages/")[-1]
        held[f"{where}:{ours.lineno}"] += stat.size_diff
    total = sum(held.values())
    print(f"\n## Python heap the {clients} clients hold: {total / _MB:.1f} MB, ", end="")
    print(f"{total / clients / 1024:.1f} KB a client\n")
    print("| allocated under | KB a client |")
    print("|---|---:|")
    for where, size in sorted(held.items(), key=lambda item: -item[1])[:top]:
        print(f"| {where} | {size / clients / 1024:.2f} |")


def measure_serve(ws_clients: int, *, traced: bool, top: int) -> None:
    import httpx  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch)
        fleet = _seed(data)
        port = _free_port()
        with (
            _server(data, port, traced=traced) as worker,
            httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client,
        ):
            title = "granian, the worker's app under tracemalloc" if traced else "fusionx serve"
            print(f"## One worker ({title}; embedded SQLite, demo data)\n")
            print("| after | worker RSS MB |")
            print("|---|---:|")

            def row(what: str) -> None:
                print(f"| {what} | {resident(worker) / _MB:.1f} |", flush=True)

            row("start-up")
            send = _Requests(client, fleet)
            for what, requests in (
                ("sign-in (a password hash)", send.sign_in),
                ("check-in", send.check_in),
                ("20 orders", send.orders),
                ("40 feed reads (200 and 304)", send.feed),
                ("10 ticket transitions", send.transitions),
            ):
                requests()
                row(what)
            snapshots: dict[str, Any] = {}
            if traced:
                snapshots["before"] = _snapshot(data, "before")

            def while_held() -> None:
                row(f"{ws_clients} WebSocket clients on the shift")
                send.orders(10)
                time.sleep(3)
                row("  and 10 orders' events sent to each")
                if traced:
                    snapshots["held"] = _snapshot(data, "held")

            url = f"ws://127.0.0.1:{port}/api/v1/shifts/{send.shift}/events"
            credential = fleet["device"]["credential"]
            asyncio.run(_hold_clients(url, credential, ws_clients, while_held))
            row("those clients gone")
            for what, requests in (
                ("5 GraphQL queries", send.graphql),
                ("a 404 in es, fr and en", send.languages),
                ("the OpenAPI document", send.openapi),
            ):
                requests()
                row(what)
            if traced:
                _where(snapshots["before"], snapshots["held"], ws_clients, top)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("what", nargs="?", choices=["imports", "serve", "_probe"])
    parser.add_argument("--ws-clients", type=int, default=500)
    parser.add_argument("--top", type=int, default=30, help="rows of a table (default 30)")
    parser.add_argument(
        "--trace",
        action="store_true",
        help="serve: run the worker under tracemalloc (granian directly) and list what the "
        "WebSocket clients hold, by allocation site",
    )
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.what == "_probe":
        _probe_imports(args.traced)
        return 0
    if args.what in {None, "imports"}:
        measure_imports(args.top)
    if args.what in {None, "serve"}:
        print()
        measure_serve(args.ws_clients, traced=args.trace, top=args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
