"""Which process runs the scheduled work: every serving process on the embedded
database; on PostgreSQL none of them (``fusionx worker`` does, from the queue), unless
``FUSIONX_JOBS_IN_PROCESS`` says so. The jobs are the same list either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from fusionx.entrypoints.background import PeriodicTask
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.email_settings import EmailSettings
from fusionx.entrypoints.job_settings import JobSettings
from fusionx.entrypoints.settings import Settings

# Never connected to: building the adapters opens no connection.
POSTGRES = "postgresql+asyncpg://fusionx@127.0.0.1:9/fusionx"
SWEEPS = {
    "fire-due-tickets",
    "sweep-stale-devices",
    "release-lapsed-holds",
    "tell-late-orders",
    "roll-up-analytics",
    "purge-idempotency-keys",
    "purge-rate-limit-windows",
}
MAIL = EmailSettings(smtp_host="127.0.0.1", smtp_from="fusionx@example.com")


def _started_loops(adapters: Adapters) -> set[str]:
    owners = [getattr(hook, "__self__", None) for hook in adapters.on_startup]
    return {owner.name for owner in owners if isinstance(owner, PeriodicTask)}


@pytest.mark.parametrize(
    ("embedded", "in_process", "loops"),
    [
        (True, None, True),
        (False, None, False),
        (False, True, True),
        (True, False, False),
    ],
)
async def test_the_loops_start_where_there_is_no_queue(
    tmp_path: Path, *, embedded: bool, in_process: bool | None, loops: bool
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}" if embedded else POSTGRES
    adapters = sql_adapters(
        Settings(database_url=url),
        email_settings=MAIL,
        jobs=JobSettings(jobs_in_process=in_process),
    )
    try:
        names = {job.name for job in adapters.scheduled}
        assert names == {*SWEEPS, "send-weekly-summaries"}
        assert _started_loops(adapters) == (names if loops else set())
    finally:
        for hook in adapters.on_shutdown:
            await hook()


async def test_without_a_mail_server_there_is_no_weekly_summary_job(tmp_path: Path) -> None:
    adapters = sql_adapters(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'f.db'}"))
    try:
        assert {job.name for job in adapters.scheduled} == SWEEPS
    finally:
        for hook in adapters.on_shutdown:
            await hook()
