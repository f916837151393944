"""Load from wrk, a separate process: one scenario is one Lua script and its targets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench import sampling
from bench.config import LUA_DIR, BenchConfig
from bench.meter import CpuMeter, Finder
from bench.servers import BenchError, Server

WRK = "wrk"
INSTALL_HINT = "install it with `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`"


def require_wrk() -> str:
    path = shutil.which(WRK)
    if path is None:
        raise BenchError(f"the load generator wrk is not on PATH: {INSTALL_HINT}")
    return path


def lua_value(value: object) -> str:
    """A Python value as a Lua literal (strings, numbers, lists and string-keyed dicts)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"[{lua_value(k)}]={lua_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Iterable):
        return "{" + ",".join(lua_value(v) for v in value) + "}"
    raise TypeError(f"no Lua literal for {value!r}")


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """One wrk run: throughput, latency, answers by status, and who used the CPU."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]
    socket_errors: int
    cpu_percent: dict[str, float]

    def ok(self, *codes: int) -> int:
        return sum(self.statuses.get(str(code), 0) for code in codes)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def run_wrk(
    config: BenchConfig,
    server: Server,
    script: str,
    data: object,
    *,
    duration: float,
    parties: Mapping[str, Finder],
    profile_to: Path | None = None,
) -> Outcome:
    """Run ``lua/<script>.lua`` against ``server`` for ``duration`` seconds with ``data``;
    with ``profile_to``, py-spy samples the server's workers meanwhile."""
    with tempfile.TemporaryDirectory(prefix="fusionx-bench-") as scratch:
        data_file, out_file = Path(scratch) / "data.lua", Path(scratch) / "out.json"
        data_file.write_text("return " + lua_value(data) + "\n")
        env = os.environ | {
            "LUA_PATH": f"{LUA_DIR}/?.lua;;",  # the scenarios' require("common")
            "BENCH_DATA": str(data_file),
            "BENCH_WRK_OUT": str(out_file),
            "BENCH_THREADS": str(config.threads),
        }
        command = [require_wrk(), "-t", str(config.threads), "-c", str(config.connections)]
        command += ["-d", f"{max(1, round(duration))}s", "--timeout", "5s"]
        command += ["-s", str(LUA_DIR / f"{script}.lua"), server.base_url]
        with CpuMeter(**parties) as meter:
            wrk = subprocess.Popen(  # noqa: S603 - wrk with arguments we built
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            meter.add("load generator", _finder(wrk.pid))
            recorders = sampling.start(server.workers(), profile_to, duration) if profile_to else []
            output, _ = wrk.communicate(timeout=duration + 60)
        if profile_to:
            sampling.finish(recorders, profile_to)
        if wrk.returncode != 0 or not out_file.exists():
            raise BenchError(f"wrk {script} failed: {output.decode(errors='replace').strip()}")
        summary = json.loads(out_file.read_text())
    seconds = summary["duration_us"] / 1e6
    errors = summary["errors"]
    return Outcome(
        requests=summary["requests"],
        seconds=round(seconds, 2),
        rps=round(summary["requests"] / seconds, 1),
        p50_ms=round(summary["latency_us"]["p50"] / 1000, 2),
        p99_ms=round(summary["latency_us"]["p99"] / 1000, 2),
        statuses=dict(sorted(summary["statuses"].items())),
        socket_errors=int(errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]),
        cpu_percent=meter.percent(),
    )


def _finder(pid: int) -> Finder:
    def find() -> list[psutil.Process]:
        try:
            return [psutil.Process(pid)]
        except psutil.NoSuchProcess:
            return []

    return find
