"""The single-use email token store, on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from fusionx.core.model.email_tokens import EmailToken, TokenPurpose
from fusionx.core.model.staff import StaffMember
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_staff_member, new_id

RACERS = 12


async def holder(uow_factory: UnitOfWorkFactory) -> StaffMember:
    staff = a_staff_member()
    async with uow_factory() as uow:
        await uow.staff.add(staff)
        await uow.commit()
    return staff


def a_token(
    staff: StaffMember, token_hash: str, purpose: TokenPurpose = TokenPurpose.PASSWORD_RESET
) -> EmailToken:
    return EmailToken(
        id=new_id(),
        token_hash=token_hash,
        purpose=purpose,
        staff_id=staff.id,
        email=staff.email,
        created_at=T0,
        expires_at=T0 + purpose.validity,
    )


async def added(uow_factory: UnitOfWorkFactory, *tokens: EmailToken) -> None:
    async with uow_factory() as uow:
        for token in tokens:
            await uow.email_tokens.add(token)
        await uow.commit()


async def consumed(
    uow_factory: UnitOfWorkFactory,
    token_hash: str,
    purpose: TokenPurpose = TokenPurpose.PASSWORD_RESET,
    at: timedelta = timedelta(minutes=1),
) -> EmailToken | None:
    async with uow_factory() as uow:
        token = await uow.email_tokens.consume(token_hash, purpose, T0 + at)
        await uow.commit()
    return token


async def test_a_token_is_consumed_once_and_comes_back_marked_used(
    uow_factory: UnitOfWorkFactory,
) -> None:
    staff = await holder(uow_factory)
    token = a_token(staff, "aa" * 32)
    await added(uow_factory, token)

    first = await consumed(uow_factory, "aa" * 32)
    second = await consumed(uow_factory, "aa" * 32)

    assert first is not None
    assert first.id == token.id
    assert first.staff_id == staff.id
    assert first.email == staff.email
    assert first.purpose is TokenPurpose.PASSWORD_RESET
    assert first.expires_at == token.expires_at
    assert first.used_at == T0 + timedelta(minutes=1)
    assert second is None


async def test_unknown_expired_and_other_purposes_consume_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    staff = await holder(uow_factory)
    await added(uow_factory, a_token(staff, "aa" * 32))

    assert await consumed(uow_factory, "bb" * 32) is None
    assert await consumed(uow_factory, "aa" * 32, TokenPurpose.INVITATION) is None
    assert await consumed(uow_factory, "aa" * 32, at=timedelta(minutes=30)) is None
    # None of those used it up: it still works within its half hour.
    assert await consumed(uow_factory, "aa" * 32, at=timedelta(minutes=29)) is not None


async def test_a_consumption_rolled_back_leaves_the_token_usable(
    uow_factory: UnitOfWorkFactory,
) -> None:
    staff = await holder(uow_factory)
    await added(uow_factory, a_token(staff, "aa" * 32))

    async with uow_factory() as uow:
        assert await uow.email_tokens.consume("aa" * 32, TokenPurpose.PASSWORD_RESET, T0)
        await uow.rollback()

    assert await consumed(uow_factory, "aa" * 32) is not None


async def test_a_hash_is_stored_once(uow_factory: UnitOfWorkFactory) -> None:
    staff = await holder(uow_factory)
    await added(uow_factory, a_token(staff, "aa" * 32))

    async with uow_factory() as uow:
        with pytest.raises(UniqueViolation) as raised:
            await uow.email_tokens.add(a_token(staff, "aa" * 32, TokenPurpose.INVITATION))
    assert raised.value.field == "token_hash"


async def test_discard_for_ends_one_accounts_tokens_of_one_purpose(
    uow_factory: UnitOfWorkFactory,
) -> None:
    staff, other = await holder(uow_factory), await holder(uow_factory)
    await added(
        uow_factory,
        a_token(staff, "a1" * 32),
        a_token(staff, "a2" * 32),
        a_token(staff, "a3" * 32, TokenPurpose.EMAIL_CHANGE),
        a_token(other, "b1" * 32),
    )

    async with uow_factory() as uow:
        await uow.email_tokens.discard_for(staff.id, TokenPurpose.PASSWORD_RESET, T0)
        await uow.commit()

    assert await consumed(uow_factory, "a1" * 32) is None
    assert await consumed(uow_factory, "a2" * 32) is None
    assert await consumed(uow_factory, "a3" * 32, TokenPurpose.EMAIL_CHANGE) is not None
    assert await consumed(uow_factory, "b1" * 32) is not None


async def test_of_units_racing_for_one_token_exactly_one_gets_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """On PostgreSQL the units really overlap: each waits on the row the first updated."""
    staff = await holder(uow_factory)
    await added(uow_factory, a_token(staff, "aa" * 32))
    started = asyncio.Event()

    async def race() -> EmailToken | None:
        async with uow_factory() as uow:
            await started.wait()
            token = await uow.email_tokens.consume("aa" * 32, TokenPurpose.PASSWORD_RESET, T0)
            await asyncio.sleep(0.01)  # hold the row while the others try
            await uow.commit()
        return token

    async with asyncio.timeout(30):
        racers = [asyncio.ensure_future(race()) for _ in range(RACERS)]
        await asyncio.sleep(0.05)
        started.set()
        outcomes = await asyncio.gather(*racers)

    assert sum(outcome is not None for outcome in outcomes) == 1
