"""A real ``fusionx serve`` in a process of its own, and the CLI beside it: what every
end-to-end test starts, waits for and stops the same way."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

import httpx
import pytest

from tests.support.processes import workers

CLI = (sys.executable, "-m", "fusionx.entrypoints.cli")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now: the kernel's pick."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any ``FUSIONX_`` setting, then ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")}
    return env | settings


def fusionx(
    env: dict[str, str], *args: str, timeout: float = 60, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """The ``fusionx`` CLI, run to its end."""
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [*CLI, *args], env=env, capture_output=True, text=True, check=check, timeout=timeout
    )


class Server:
    """``fusionx serve`` (or ``argv``, a command line that serves on ``port``) in its own
    process group, so that it can be killed outright, workers and all.

    Its output goes to ``log``, not to a pipe: nobody reads a pipe while the tests run, and
    once its buffer is full the server blocks on its next log line and cannot even shut
    down. As a context manager it is started, ready, and stopped at the end.
    """

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        *options: str,
        argv: Sequence[str] | None = None,
        port: int | None = None,
    ) -> None:
        self.env = env
        self.log = log
        self.port = free_port() if port is None else port
        serve = [*CLI, "serve", "--port", str(self.port), *options]
        self.argv = serve if argv is None else list(argv)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def process(self) -> subprocess.Popen[bytes]:
        assert self._process is not None, "the server was never started"
        return self._process

    def start(self) -> None:
        """Start it and wait until ``/health/ready`` answers 200."""
        with self.log.open("ab") as log:  # appended to: a restart keeps what came before
            self._process = subprocess.Popen(  # noqa: S603 - our own CLI
                self.argv, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.wait_for(self.ready, "fusionx serve to become ready")

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health/ready", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def workers(self) -> set[int]:
        """Its worker processes that listen on its port."""
        return workers(self.process.pid, self.port)

    def wait_for(self, condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
        """Poll ``condition`` until it holds; fail with the server's output if the server
        exits first or ``seconds`` pass."""
        deadline = time.monotonic() + seconds
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"fusionx serve exited while waiting for {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"gave up waiting for {what}:\n{self.output()}")
            time.sleep(0.02)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL the server and its workers: no shutdown hook, no cleanup."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        """A graceful stop (SIGTERM), then nothing of its process group left behind."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait(timeout=15)

    def __enter__(self) -> Server:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
