from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta, timezone
from uuid import UUID

import pytest

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.core.model.credentials import PrincipalKind
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.event_bus import CredentialWatch
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


class Watched:
    """Which watched credentials the bus rang, after the fact."""

    def __init__(self, hub: InProcessEventHub, *token_ids: UUID) -> None:
        self._hub, self._ids = hub, token_ids
        self._stack = contextlib.AsyncExitStack()
        self._watches: dict[UUID, CredentialWatch] = {}

    async def __aenter__(self) -> Watched:
        for token_id in self._ids:
            self._watches[token_id] = await self._stack.enter_async_context(
                self._hub.watch_credential(token_id)
            )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stack.aclose()

    async def rung(self) -> set[UUID]:
        rung = set()
        for token_id, watch in self._watches.items():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watch.next(), 0.05)  # rung: returns at once
                rung.add(token_id)
        return rung


async def test_revocations_reach_the_bus_on_commit_and_only_then(
    uow_factory_with_bus: UnitOfWorkFactory, hub: InProcessEventHub
) -> None:
    subject = new_id()
    tokens = [a_token(subject, f"{n:02}" * 32) for n in range(1, 4)]
    other = a_token(new_id(), "09" * 32)
    async with uow_factory_with_bus() as uow:
        for token in (*tokens, other):
            await uow.tokens.add(token)
        await uow.commit()
    first, second, kept = (token.id for token in tokens)

    async with Watched(hub, first, second, kept, other.id) as watched:
        async with uow_factory_with_bus() as uow:
            await uow.tokens.revoke(first, T0)
            # left without commit: rolled back, nothing to tell
        assert await watched.rung() == set()

        async with uow_factory_with_bus() as uow:
            await uow.tokens.revoke(first, T0)
            assert await watched.rung() == set()  # not before commit
            await uow.commit()
        assert await watched.rung() == {first}

        async with uow_factory_with_bus() as uow:
            await uow.tokens.revoke_all_for(subject, T0, keep=kept)
            await uow.commit()
        assert await watched.rung() == {second}  # the first was revoked already
