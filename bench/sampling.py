"""``--profile``: py-spy samples each FusionX worker while a scenario runs.

Each scenario leaves its raw collapsed stacks (``<scenario>.txt``, for flamegraph tools
or speedscope) and a summary (``<scenario>.top.txt``): the functions that hold the most
samples, counting a function once per stack in which it appears (inclusive) and as the
innermost frame (self). Sampling costs the server some CPU: figures from a profiled run
are not the measured ones.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import psutil

from bench.layers import layer_lines
from bench.servers import BenchError

RATE = 100  # samples a second
TOP = 40


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise BenchError("--profile needs py-spy: it is in the bench dependency group")
    return found


def start(
    workers: list[psutil.Process], out: Path, seconds: float
) -> list[subprocess.Popen[bytes]]:
    out.parent.mkdir(parents=True, exist_ok=True)
    recorders = []
    for n, worker in enumerate(workers):
        command = [py_spy(), "record", "--pid", str(worker.pid), "--rate", str(RATE)]
        command += ["--duration", str(max(1, round(seconds))), "--format", "raw", "--nonblocking"]
        command += ["--output", str(out.with_suffix(f".{n}.raw"))]
        recorders.append(
            subprocess.Popen(  # noqa: S603 - py-spy with arguments we built
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
    return recorders


def finish(recorders: list[subprocess.Popen[bytes]], out: Path) -> None:
    """Wait for the recorders; merge their stacks into ``out`` and summarise them."""
    for recorder in recorders:
        recorder.wait(timeout=60)
    parts = sorted(out.parent.glob(out.with_suffix("").name + ".*.raw"))
    stacks: Counter[str] = Counter()
    for part in parts:
        for line in part.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if stack and count.isdigit():
                stacks[stack] += int(count)
        part.unlink()
    out.write_text("".join(f"{stack} {n}\n" for stack, n in stacks.most_common()))
    out.with_suffix(".top.txt").write_text(summary(stacks))


def summary(stacks: Counter[str]) -> str:
    total = sum(stacks.values()) or 1
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for stack, n in stacks.items():
        frames = [_short(frame) for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    lines = [f"{total} samples\n", "inclusive %  self %  function"]
    for frame, n in inclusive.most_common(TOP):
        lines.append(f"{100 * n / total:10.1f}  {100 * own[frame] / total:6.1f}  {frame}")
    lines += ["", "self %  function"]
    lines += [f"{100 * n / total:6.1f}  {frame}" for frame, n in own.most_common(TOP)]
    lines += ["", *layer_lines(stacks)]
    return "\n".join(lines) + "\n"


def _short(frame: str) -> str:
    """``name (…/site-packages/pkg/mod.py:12)`` as ``name (pkg/mod.py)``: per function."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/src/", "/lib/python3.11/"):
        if marker in where:
            where = where.split(marker, 1)[1]
            break
    return f"{name} ({where})" if where else name
