"""The scheduled work's settings and schedule: bad values stop start-up with one line,
and every period a job runs at is one a cron line says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fusionx.adapters.jobs.connection import conninfo
from fusionx.adapters.jobs.schedule import ScheduledJob, cron
from fusionx.entrypoints.cli import main
from fusionx.entrypoints.job_settings import load_job_settings
from fusionx.entrypoints.scheduled_work import stale_sweep_period
from fusionx.entrypoints.settings import SettingsError


@pytest.mark.parametrize(
    ("every", "line"),
    [
        (timedelta(seconds=1), "* * * * * */1"),
        (timedelta(seconds=15), "* * * * * */15"),
        (timedelta(minutes=5), "*/5 * * * *"),
        (timedelta(hours=1), "0 * * * *"),
    ],
)
def test_a_period_is_a_cron_line(every: timedelta, line: str) -> None:
    assert cron(every) == line


@pytest.mark.parametrize("seconds", [0.5, 7, 90, 7200])
def test_a_period_no_cron_line_says_is_refused(seconds: float) -> None:
    with pytest.raises(ValueError, match="no cron line"):
        ScheduledJob("job", _nothing, timedelta(seconds=seconds))


@pytest.mark.parametrize(("stale", "period"), [(10, 1), (60, 10), (90, 15), (3600, 60)])
def test_the_stale_sweep_runs_about_six_times_a_stale_window(stale: int, period: int) -> None:
    assert stale_sweep_period(timedelta(seconds=stale)) == timedelta(seconds=period)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("FUSIONX_SUMMARY_CURRENCY", "euro"),
        ("FUSIONX_SUMMARY_CHECK_SECONDS", "7"),
        ("FUSIONX_SUMMARY_CHECK_SECONDS", "0"),
        ("FUSIONX_JOBS_IN_PROCESS", "sometimes"),
    ],
)
def test_a_bad_setting_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_job_settings({variable: value})


def test_the_queue_connects_with_libpq_s_spelling_of_the_url() -> None:
    url = "postgresql+asyncpg://fusionx:secret@db:5433/fusionx?ssl=require"

    assert conninfo(url) == "postgresql://fusionx:secret@db:5433/fusionx?sslmode=require"


def test_the_worker_refuses_the_embedded_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    monkeypatch.setenv("FUSIONX_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FUSIONX_DATABASE_URL", raising=False)

    assert main(["worker"]) == 2
    assert "`fusionx serve` runs the scheduled work itself" in capsys.readouterr().err


async def _nothing() -> None:
    return None
