from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from fusionx.core.model.credentials import PrincipalKind
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_token, new_id


async def test_a_token_is_found_by_its_hash(uow_factory: UnitOfWorkFactory) -> None:
    subject = new_id()
    session = a_token(subject, "aa" * 32)
    device = a_token(new_id(), "bb" * 32, kind=PrincipalKind.DEVICE, expires_at=None, revoked_at=T0)
    async with uow_factory() as uow:
        await uow.tokens.add(session)
        await uow.tokens.add(device)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.tokens.get_by_hash("aa" * 32) == session
        assert await uow.tokens.get_by_hash("bb" * 32) == device
        assert await uow.tokens.get_by_hash("cc" * 32) is None


async def test_a_hash_is_stored_once(uow_factory: UnitOfWorkFactory) -> None:
    first = a_token(new_id(), "aa" * 32)
    async with uow_factory() as uow:
        await uow.tokens.add(first)
        with pytest.raises(UniqueViolation) as raised:
            await uow.tokens.add(a_token(new_id(), "aa" * 32))
        await uow.commit()

    assert raised.value.field == "token_hash"
    async with uow_factory() as uow:
        assert await uow.tokens.get_by_hash("aa" * 32) == first


async def test_times_in_other_zones_come_back_as_the_same_instant(
    uow_factory: UnitOfWorkFactory,
) -> None:
    paris = timezone(timedelta(hours=2))
    token = a_token(new_id(), expires_at=(T0 + timedelta(hours=12)).astimezone(paris))
    async with uow_factory() as uow:
        await uow.tokens.add(token)
        await uow.commit()

    async with uow_factory() as uow:
        stored = await uow.tokens.get_by_hash(token.token_hash)

    assert stored is not None
    assert stored.expires_at == T0 + timedelta(hours=12)
    assert stored.expires_at.tzinfo is not None


async def test_revoking_twice_keeps_the_first_time(uow_factory: UnitOfWorkFactory) -> None:
    token = a_token(new_id())
    async with uow_factory() as uow:
        await uow.tokens.add(token)
        await uow.commit()

    first, later = T0 + timedelta(hours=1), T0 + timedelta(hours=2)
    async with uow_factory() as uow:
        await uow.tokens.revoke(token.id, first)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.tokens.revoke(token.id, later)
        await uow.tokens.revoke(new_id(), later)  # an unknown token is no error
        await uow.commit()

    async with uow_factory() as uow:
        stored = await uow.tokens.get_by_hash(token.token_hash)
    assert stored is not None
    assert stored.revoked_at == first


async def test_revoke_all_for_revokes_only_that_subjects_live_tokens(
    uow_factory: UnitOfWorkFactory,
) -> None:
    subject, bystander = new_id(), new_id()
    earlier = T0 + timedelta(minutes=30)
    live = a_token(subject, "01" * 32)
    also_live = a_token(subject, "02" * 32, kind=PrincipalKind.DEVICE, expires_at=None)
    already_revoked = a_token(subject, "03" * 32, revoked_at=earlier)
    theirs = a_token(bystander, "04" * 32)
    async with uow_factory() as uow:
        for token in (live, also_live, already_revoked, theirs):
            await uow.tokens.add(token)
        await uow.commit()

    now = T0 + timedelta(hours=1)
    async with uow_factory() as uow:
        await uow.tokens.revoke_all_for(subject, now)
        await uow.commit()

    async with uow_factory() as uow:
        revoked = {
            token.token_hash: stored.revoked_at
            for token in (live, also_live, already_revoked, theirs)
            if (stored := await uow.tokens.get_by_hash(token.token_hash)) is not None
        }
    assert revoked == {"01" * 32: now, "02" * 32: now, "03" * 32: earlier, "04" * 32: None}
