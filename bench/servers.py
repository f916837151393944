"""Starting FusionX, the floor and the ceiling under granian, waiting for them, and stopping them.

Each server's output goes to a log file in the results folder, never to the terminal
the load generator reports to: what a server prints stays out of the measured path.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import psutil

from fusionx.entrypoints.allocator import FREED_PAGES_GO_BACK, GRANIAN_ALLOCATOR_SETTING

# The ceiling and the floor run under granian with the allocator setting ``fusionx
# serve`` gives its own granian (unless the environment sets one for all three).
_AS_SERVED = {
    GRANIAN_ALLOCATOR_SETTING: os.environ.get(GRANIAN_ALLOCATOR_SETTING, FREED_PAGES_GO_BACK)
}


class BenchError(Exception):
    """The run cannot go on; ``str(error)`` is the one line to show."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    _log_file: IO[bytes]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def processes(self) -> list[psutil.Process]:
        """granian's supervisor and its workers, as they are now."""
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def workers(self) -> list[psutil.Process]:
        return self.processes()[1:]

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.base_url, timeout=5) as client:
            while True:
                try:
                    if client.get(path).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    tail = self.log.read_text(errors="replace")[-2000:]
                    raise BenchError(f"{self.name} did not become ready; its log ends:\n{tail}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                for child in self.processes()[::-1]:
                    child.kill()
                self.process.wait(timeout=5)
        self._log_file.close()


def _start(name: str, command: list[str], env: dict[str, str], logs: Path, port: int) -> Server:
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    log_file = log.open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        command, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    return Server(name=name, process=process, port=port, log=log, _log_file=log_file)


def fusionx_env(database_url: str) -> dict[str, str]:
    """FusionX as in production, on the bench database, logging warnings only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")}
    return env | {
        "FUSIONX_DATABASE_URL": database_url,
        "FUSIONX_LOG_LEVEL": "WARNING",
        "FUSIONX_LOG_FORMAT": "json",
        # The stream scenario's clients all follow with the one device credential of the
        # first truck; a real fleet spreads them over many, each within the default cap.
        "FUSIONX_STREAM_CONNECTIONS_PER_CREDENTIAL": "1000",
    }


def fusionx_cli(database_url: str, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "fusionx.entrypoints.cli", *args],
        env=fusionx_env(database_url), input=stdin, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BenchError(f"fusionx {args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def start_fusionx(database_url: str, workers: int, logs: Path) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "fusionx.entrypoints.cli", "serve"]
    command += ["--port", str(port), "--workers", str(workers)]
    server = _start(f"fusionx-w{workers}", command, fusionx_env(database_url), logs, port)
    server.wait_ready("/health/ready")
    return server


def start_ceiling(dsn: str, workers: int, logs: Path) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    command += ["bench.ceiling:app"]
    # granian imports bench.ceiling in each worker: the repository root must be importable.
    root = str(Path(__file__).resolve().parent.parent)
    env = os.environ | _AS_SERVED | {"BENCH_CEILING_DSN": dsn, "PYTHONPATH": root}
    server = _start(f"ceiling-w{workers}", command, env, logs, port)
    server.wait_ready("/health")
    return server


def start_floor(dsn: str, workers: int, logs: Path) -> Server:
    """The floor (``floor.py``) under granian as ``fusionx serve`` runs FusionX: an ASGI
    app factory, granian's default loop, failed workers respawned."""
    port = free_port()
    command = [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    command += ["--factory", "--respawn-failed-workers", "bench.floor:create_app"]
    root = str(Path(__file__).resolve().parent.parent)
    env = os.environ | _AS_SERVED | {"BENCH_FLOOR_DSN": dsn, "PYTHONPATH": root}
    server = _start(f"floor-w{workers}", command, env, logs, port)
    server.wait_ready("/health")
    return server
