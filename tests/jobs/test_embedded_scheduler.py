"""On the embedded database the same jobs run in the serving process: started with the
app, the weekly summaries reach the mail server once per recipient, also when two
processes' schedulers run at once."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.email_settings import EmailSettings
from fusionx.entrypoints.job_settings import JobSettings
from fusionx.entrypoints.settings import Settings
from tests.jobs.weekly_scene import SlowHandler, a_fleet_due_its_summaries
from tests.support.databases import migrated
from tests.support.smtp_server import SmtpServer


def _wired(url: str, smtp: SmtpServer) -> Adapters:
    return sql_adapters(
        Settings(database_url=url),
        email_settings=EmailSettings(
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_from="fusionx@example.com",
            smtp_starttls=False,
        ),
        jobs=JobSettings(summary_check_seconds=1),
    )


async def test_two_started_apps_send_each_summary_once(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    async with migrated(url) as database:
        recipients, week = await a_fleet_due_its_summaries(database.database.unit_of_work)

    with SmtpServer(SlowHandler(delay=0.05)) as smtp:
        apps = [_wired(url, smtp), _wired(url, smtp)]
        names = {job.name for job in apps[0].scheduled}
        try:
            for adapters in apps:
                for hook in adapters.on_startup:
                    await hook()
            async with asyncio.timeout(30):
                while len(smtp.received) < len(recipients):  # noqa: ASYNC110 - filled by the server's thread
                    await asyncio.sleep(0.05)
            await asyncio.sleep(2.5)  # more runs of both schedulers: nothing more goes
        finally:
            for adapters in apps:
                for hook in adapters.on_shutdown:
                    await hook()

    assert "send-weekly-summaries" in names
    got = Counter(address for mail in smtp.received for address in mail.recipients)
    assert got == Counter({member.email: 1 for member in recipients})
    keys = {str(mail.message["Message-ID"]).strip() for mail in smtp.received}
    assert keys == {
        f"<weekly-summary.{member.id}.{week.isoformat()}@example.com>" for member in recipients
    }
    message = smtp.received[0].message
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",))
    assert html is not None
    assert "<svg" in html.get_content()
