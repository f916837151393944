"""CPU time by party (the server, PostgreSQL, the load generator) while a scenario runs,
and the server's memory after it.

psutil is sampled a few times a second; each process's CPU time is counted from its first
sample in the window (or from zero if it started during it) to its last. PostgreSQL is
its background processes plus the backends serving the bench database: other
databases' backends on the same server are somebody else's load.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil

Finder = Callable[[], list[psutil.Process]]
SAMPLE_SECONDS = 0.25


def _cpu(process: psutil.Process) -> float | None:
    try:
        times = process.cpu_times()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    return float(times.user + times.system)


def postgres_finder(database: str) -> Finder:
    def find() -> list[psutil.Process]:
        found = []
        for process in psutil.process_iter(["name", "cmdline"]):
            if process.info["name"] != "postgres":
                continue
            title = " ".join(process.info["cmdline"] or [])
            is_backend = "(" in title and ")" in title  # "… user db 127.0.0.1(5432) idle"
            if database in title or not is_backend:
                found.append(process)
        return found

    return find


@dataclass
class _Party:
    find: Finder
    first: dict[int, float] = field(default_factory=dict)
    last: dict[int, float] = field(default_factory=dict)

    def sample(self, *, baseline: bool) -> None:
        for process in self.find():
            seconds = _cpu(process)
            if seconds is None:
                continue
            self.first.setdefault(process.pid, seconds if baseline else 0.0)
            self.last[process.pid] = seconds

    @property
    def seconds(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


class CpuMeter:
    """``with CpuMeter(server=…, postgres=…) as meter: …``; then ``meter.percent()``."""

    def __init__(self, **parties: Finder) -> None:
        self._parties = {name: _Party(find) for name, find in parties.items()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = 0.0
        self.wall = 0.0

    def add(self, name: str, find: Finder) -> None:
        """A party that appears once the window is open (the load generator)."""
        self._parties[name] = _Party(find)

    def __enter__(self) -> CpuMeter:
        for party in self._parties.values():
            party.sample(baseline=True)
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        for party in list(self._parties.values()):
            party.sample(baseline=False)
        self.wall = time.monotonic() - self._started

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            for party in list(self._parties.values()):
                party.sample(baseline=False)

    def percent(self) -> dict[str, float]:
        """Each party's CPU as a percentage of one core over the window."""
        wall = self.wall or 1.0
        return {name: round(100 * p.seconds / wall, 1) for name, p in self._parties.items()}


def rss_mb(processes: list[psutil.Process]) -> list[float]:
    sizes = []
    for process in processes:
        try:
            sizes.append(round(process.memory_info().rss / 2**20, 1))
        except psutil.NoSuchProcess:
            continue
    return sizes
