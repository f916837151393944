"""The outbox backlog ``/metrics`` reports: pending notifications and the oldest one's age,
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from fusionx.core.model.notifications import NotificationState
from tests.contract.test_notifications import a_notification
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0
from tests.support.scenes import a_shift_scene


async def test_the_backlog_counts_pending_notifications_and_ages_the_oldest(
    racing_database: MigratedDatabase,
) -> None:
    database = racing_database.database
    assert await database.outbox_backlog(T0) == (0, 0.0)
    scene = await a_shift_scene(database.unit_of_work)
    async with database.unit_of_work() as uow:
        await uow.outbox.add_all(
            [
                a_notification(scene, 0, state=NotificationState.SENT),  # oldest, but sent
                a_notification(scene, 30),
                a_notification(scene, 50),
                a_notification(scene, 70, state=NotificationState.FAILED),
            ]
        )
        await uow.commit()

    assert await database.outbox_backlog(T0 + timedelta(seconds=90)) == (2, 60.0)
