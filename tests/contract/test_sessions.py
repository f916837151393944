"""A staff member's sessions: what sign-in records, listing the live ones, "last seen"."""

from __future__ import annotations

from datetime import timedelta

from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.paging import PageRequest
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_token, new_id


async def test_a_sessions_client_and_last_seen_round_trip(uow_factory: UnitOfWorkFactory) -> None:
    token = a_token(
        new_id(),
        user_agent="FusionX/2.1 (iPhone; iOS 18.1) — crème",
        client_address="2001:db8::1",
        last_seen_at=T0,
    )
    async with uow_factory() as uow:
        await uow.tokens.add(token)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.tokens.get(token.id) == token
        assert await uow.tokens.get(new_id()) is None
        holder = await uow.tokens.get_with_holder(token.token_hash)
    assert holder is not None
    assert holder.token == token


async def test_only_a_staff_members_live_sessions_are_listed_newest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    me, now = new_id(), T0 + timedelta(hours=1)
    older = a_token(me, "01" * 32, created_at=T0)
    newer = a_token(me, "02" * 32, created_at=T0 + timedelta(minutes=5))
    endless = a_token(me, "03" * 32, created_at=T0 - timedelta(days=1), expires_at=None)
    others = [
        a_token(me, "04" * 32, revoked_at=T0),
        a_token(me, "05" * 32, expires_at=now),  # expired at this very instant
        a_token(new_id(), "06" * 32),
        a_token(me, "07" * 32, kind=PrincipalKind.DEVICE),  # not a staff kind
    ]
    async with uow_factory() as uow:
        for token in [older, newer, endless, *others]:
            await uow.tokens.add(token)
        await uow.commit()

    async with uow_factory() as uow:
        everything = await uow.tokens.sessions_of(me, now, PageRequest())
        second = await uow.tokens.sessions_of(me, now, PageRequest(limit=1, offset=1))

    assert everything.items == [newer, older, endless]
    assert everything.total == 3
    assert second.items == [older]
    assert second.total == 3


async def test_last_seen_is_written_only_once_it_is_older_than_the_guard(
    uow_factory: UnitOfWorkFactory,
) -> None:
    never, recent = a_token(new_id(), "01" * 32), a_token(new_id(), "02" * 32, last_seen_at=T0)
    async with uow_factory() as uow:
        await uow.tokens.add(never)
        await uow.tokens.add(recent)
        await uow.commit()

    later = T0 + timedelta(minutes=3)
    async with uow_factory() as uow:
        await uow.tokens.seen(never.id, later, unless_since=later - timedelta(minutes=5))
        await uow.tokens.seen(recent.id, later, unless_since=later - timedelta(minutes=5))
        await uow.tokens.seen(new_id(), later, unless_since=later)  # nothing to record
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.tokens.get(never.id)).last_seen_at == later  # type: ignore[union-attr]
        assert (await uow.tokens.get(recent.id)).last_seen_at == T0  # type: ignore[union-attr]

    much_later = T0 + timedelta(minutes=6)
    async with uow_factory() as uow:
        await uow.tokens.seen(recent.id, much_later, unless_since=much_later - timedelta(minutes=5))
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.tokens.get(recent.id)).last_seen_at == much_later  # type: ignore[union-attr]
