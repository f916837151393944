"""Device pairing codes on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec

from fusionx.core.model.pairing_codes import PAIRING_VALIDITY, PairingCode, hash_pairing_code
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, new_id
from tests.support.scenes import a_shift_scene

RACERS = 12


async def a_code(uow_factory: UnitOfWorkFactory, code: str = "ABCD2345") -> PairingCode:
    scene = await a_shift_scene(uow_factory, items=1)
    made = PairingCode(
        id=new_id(),
        truck_id=scene.truck.id,
        label="Pass tablet",
        code_hash=hash_pairing_code(code),
        created_by=new_id(),
        created_at=T0,
        expires_at=T0 + PAIRING_VALIDITY,
    )
    async with uow_factory() as uow:
        await uow.pairing_codes.add(made)
        await uow.commit()
    return made


async def consumed(
    uow_factory: UnitOfWorkFactory, code: str = "ABCD2345", at: timedelta = timedelta(minutes=1)
) -> PairingCode | None:
    async with uow_factory() as uow:
        found = await uow.pairing_codes.consume(hash_pairing_code(code), T0 + at)
        await uow.commit()
    return found


async def test_a_code_is_consumed_once_and_comes_back_as_stored(
    uow_factory: UnitOfWorkFactory,
) -> None:
    made = await a_code(uow_factory)

    first = await consumed(uow_factory)
    again = await consumed(uow_factory)

    assert first == msgspec.structs.replace(made, used_at=T0 + timedelta(minutes=1))
    assert again is None


async def test_a_wrong_or_expired_code_is_not_consumed(uow_factory: UnitOfWorkFactory) -> None:
    await a_code(uow_factory)

    assert await consumed(uow_factory, code="ZZZZ2345") is None
    assert await consumed(uow_factory, at=PAIRING_VALIDITY) is None
    assert await consumed(uow_factory, at=PAIRING_VALIDITY - timedelta(seconds=1)) is not None


async def test_of_racing_units_with_the_right_code_one_gets_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await a_code(uow_factory)

    async with asyncio.timeout(30):
        outcomes = await asyncio.gather(*(consumed(uow_factory) for _ in range(RACERS)))

    assert sum(outcome is not None for outcome in outcomes) == 1
