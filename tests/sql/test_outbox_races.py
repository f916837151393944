"""Dispatchers racing for the outbox: each notification is claimed by exactly one.

On PostgreSQL the claims overlap for real and skip each other's locked rows; on
SQLite they serialize, guarded by the lease condition in the claiming statement.
"""

from __future__ import annotations

from datetime import timedelta

from fusionx.core.model.notifications import Claim
from tests.contract.test_notifications import a_notification
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0
from tests.support.races import race
from tests.support.scenes import a_shift_scene


async def test_racing_claims_share_the_due_notifications_without_overlap(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    scene = await a_shift_scene(uow_factory)
    async with uow_factory() as uow:
        for n in range(60):
            await uow.outbox.add(a_notification(scene, n))
        await uow.commit()

    async def dispatcher(_: int) -> list[Claim]:
        taken: list[Claim] = []
        while True:
            async with uow_factory() as uow:
                batch = await uow.outbox.claim(T0 + timedelta(minutes=5), timedelta(minutes=1), 5)
                await uow.commit()
            if not batch:
                return taken
            taken.extend(batch)

    claimed = await race(8, dispatcher)

    ids = [claim.notification.id for claims in claimed for claim in claims]
    assert len(ids) == 60
    assert len(set(ids)) == 60
