"""On PostgreSQL the scheduled work runs from procrastinate's queue in `fusionx worker`
processes. Two of them run the weekly summaries; one is killed in the middle of a run
and started again: the mail server receives exactly one summary per recipient."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.engine import build_engine
from tests.jobs.weekly_scene import SlowHandler, a_fleet_due_its_summaries
from tests.support.postgres import scratch_database
from tests.support.served import CLI, clean_environment, fusionx
from tests.support.smtp_server import SmtpServer

pytestmark = pytest.mark.postgres


class Worker:
    """``fusionx worker`` in a process group of its own, its output in ``log``."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own CLI
                [*CLI, "worker"], env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        return self

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        return self.process.wait(timeout=15)


def _wait_for(
    condition: Callable[[], bool], what: str, logs: list[Path], seconds: float = 90
) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            output = "\n".join(log.read_text(errors="replace") for log in logs if log.exists())
            pytest.fail(f"gave up waiting for {what}:\n{output}")
        time.sleep(0.05)


async def test_two_workers_and_a_restart_send_each_summary_once(tmp_path: Path) -> None:
    async with scratch_database() as url:
        env = clean_environment(
            FUSIONX_DATABASE_URL=url,
            FUSIONX_SMTP_HOST="127.0.0.1",
            FUSIONX_SMTP_FROM="fusionx@example.com",
            FUSIONX_SMTP_STARTTLS="false",
            FUSIONX_SUMMARY_CHECK_SECONDS="2",
        )
        upgraded = fusionx(env, "db", "upgrade")
        assert "job queue" in upgraded.stdout
        database = SqlDatabase(url)
        try:
            recipients, _ = await a_fleet_due_its_summaries(database.unit_of_work, managers=7)
        finally:
            await database.dispose()

        with SmtpServer(SlowHandler(delay=0.4)) as smtp:
            env["FUSIONX_SMTP_PORT"] = str(smtp.port)
            logs = [tmp_path / "first.log", tmp_path / "second.log"]
            first, second = Worker(env, logs[0]), Worker(env, logs[1])
            try:
                first.start()
                await asyncio.to_thread(
                    _wait_for, lambda: len(smtp.received) >= 1, "a first summary", logs
                )
                second.start()
                await asyncio.to_thread(
                    _wait_for, lambda: len(smtp.received) >= 3, "a third summary", logs
                )
                # In the middle of a run (8 recipients at 0.4 s each), while the next
                # recipient's email is on its way: not in the milliseconds between the
                # server's acceptance and the commit (docs/operations.md).
                await asyncio.sleep(0.2)
                first.kill()
                first.start()
                await asyncio.to_thread(
                    _wait_for,
                    lambda: len(smtp.received) >= len(recipients),
                    "every summary",
                    logs,
                )
                await asyncio.sleep(5)  # more ticks, on both workers: nothing more goes
            finally:
                codes = [first.stop(), second.stop()]

        got = Counter(address for mail in smtp.received for address in mail.recipients)
        assert got == Counter({member.email: 1 for member in recipients})
        assert codes == [0, 0], [log.read_text(errors="replace") for log in logs]
        # Stable per recipient and week: a mail system that drops a repeated Message-ID
        # drops even the resend of that window.
        assert all(
            str(mail.message["Message-ID"]).strip().startswith("<weekly-summary.")
            for mail in smtp.received
        )
        engine = build_engine(url, pooled=False)
        try:
            async with engine.connect() as connection:
                sent = await connection.scalar(text("SELECT count(*) FROM weekly_summaries_sent"))
                # The queue deleted what it finished: only the killed worker's run is left.
                left = await connection.scalar(
                    text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'")
                )
        finally:
            await engine.dispose()
        assert (sent, left) == (len(recipients), 0)
