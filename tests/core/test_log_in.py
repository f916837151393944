from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.memory.password_hasher import InMemoryPasswordHasher
from fusionx.core.errors import AuthenticationRequired, InvalidCredentials, TooManyAttempts
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.login_throttle import address_key
from fusionx.core.use_cases.commands.log_in import LogIn, LogInRequest
from fusionx.core.use_cases.commands.log_out import LogOut
from fusionx.core.use_cases.queries.authenticate import Authenticate
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import PASSWORD, make_staff


def log_in(adapters: Adapters) -> LogIn:
    return LogIn(
        adapters.uow(),
        hasher=adapters.hasher,
        clock=adapters.clock,
        ids=adapters.ids,
        session_ttl=timedelta(hours=12),
    )


def request(email: str, password: str = PASSWORD, address: str = "203.0.113.5") -> LogInRequest:
    return LogInRequest(email=email, password=password, client_address=address)


async def test_the_right_password_returns_a_token_that_authenticates(adapters: Adapters) -> None:
    staff = await make_staff(adapters, role=Role.CREW)

    result = await log_in(adapters).execute(request(staff.email.upper()))

    principal = await Authenticate(adapters.uow(), adapters.clock).execute(result.token)
    assert result.token.startswith("fxs_")
    assert principal.staff.id == staff.id  # type: ignore[union-attr]


async def test_only_the_hash_of_the_token_is_stored(adapters: Adapters) -> None:
    staff = await make_staff(adapters)
    result = await log_in(adapters).execute(request(staff.email))

    async with adapters.uow() as uow:
        stored = list(uow.tokens._rows.values())  # type: ignore[attr-defined]
    assert len(stored) == 1
    assert result.token not in stored[0].token_hash


async def test_wrong_password_and_unknown_email_fail_the_same_way(adapters: Adapters) -> None:
    staff = await make_staff(adapters)

    with pytest.raises(InvalidCredentials) as wrong_password:
        await log_in(adapters).execute(request(staff.email, "not the password"))
    with pytest.raises(InvalidCredentials) as unknown_email:
        await log_in(adapters).execute(request("nobody@example.test"))

    assert str(wrong_password.value) == str(unknown_email.value)


async def test_five_failures_from_one_address_throttle_it_even_with_the_right_password(
    adapters: Adapters, clock: ManualClock
) -> None:
    staff = await make_staff(adapters)
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await log_in(adapters).execute(request(staff.email, "wrong"))

    with pytest.raises(TooManyAttempts) as throttled:
        await log_in(adapters).execute(request(staff.email))
    assert 0 < throttled.value.retry_after_seconds <= 15 * 60

    clock.advance(timedelta(seconds=throttled.value.retry_after_seconds - 1))
    with pytest.raises(TooManyAttempts):
        await log_in(adapters).execute(request(staff.email))
    clock.advance(timedelta(seconds=1))
    assert (await log_in(adapters).execute(request(staff.email))).staff.id == staff.id


async def test_a_strangers_failures_never_turn_away_the_right_password_from_elsewhere(
    adapters: Adapters,
) -> None:
    staff = await make_staff(adapters)
    stranger = "198.51.100.66"
    refused = 0
    for _ in range(30):  # past the limit for the account, and for the address itself
        try:
            await log_in(adapters).execute(request(staff.email, "wrong", stranger))
        except TooManyAttempts:
            refused += 1
        except InvalidCredentials:
            pass
    for n in range(30):
        with contextlib.suppress(InvalidCredentials, TooManyAttempts):
            await log_in(adapters).execute(request(f"guess{n}@example.test", "x" * 12, stranger))

    assert refused == 25
    with pytest.raises(TooManyAttempts):
        await log_in(adapters).execute(request(staff.email, address=stranger))
    owner = await log_in(adapters).execute(request(staff.email, address="192.0.2.1"))
    assert owner.staff.id == staff.id


async def test_failures_from_several_addresses_lock_none_of_them_out(adapters: Adapters) -> None:
    staff = await make_staff(adapters)
    for n in range(5):
        for _ in range(4):
            with pytest.raises(InvalidCredentials):
                await log_in(adapters).execute(request(staff.email, "wrong", f"198.51.100.{n}"))

    for n in range(5):
        signed_in = await log_in(adapters).execute(request(staff.email, address=f"198.51.100.{n}"))
        assert signed_in.staff.id == staff.id


async def test_the_right_password_is_never_counted_as_a_failure(adapters: Adapters) -> None:
    staff = await make_staff(adapters)

    for _ in range(3 * 20):  # three times the address's limit
        assert await log_in(adapters).execute(request(staff.email))

    async with adapters.uow() as uow:
        recorded = await uow.login_failures.since(
            address_key("203.0.113.5"), datetime.min.replace(tzinfo=UTC)
        )
    assert recorded == []


async def test_a_password_changed_while_it_was_checked_gets_no_token(adapters: Adapters) -> None:
    staff = await make_staff(adapters)
    hasher = ChangingHasher(adapters, staff)
    use_case = LogIn(
        adapters.uow(),
        hasher=hasher,
        clock=adapters.clock,
        ids=adapters.ids,
        session_ttl=timedelta(hours=12),
    )

    async with asyncio.timeout(10):  # the check must hold nothing the change waits for
        with pytest.raises(InvalidCredentials):
            await use_case.execute(request(staff.email))

    assert hasher.changed


class ChangingHasher(InMemoryPasswordHasher):
    """Checks passwords as the in-memory hasher does; while it checks the first one, the
    account's password is changed by another unit of work, as by another request."""

    def __init__(self, adapters: Adapters, staff: StaffMember) -> None:
        self._adapters = adapters
        self._staff = staff
        self.changed = False

    async def verify(self, password_hash: str, password: str) -> bool:
        if not self.changed:
            async with self._adapters.uow() as uow:
                new_hash = await self.hash("a brand new password")
                await uow.staff.update(msgspec.structs.replace(self._staff, password_hash=new_hash))
                await uow.commit()
            self.changed = True
        return await super().verify(password_hash, password)


async def test_tokens_expire_and_can_be_revoked(adapters: Adapters, clock: ManualClock) -> None:
    staff = await make_staff(adapters)
    first = await log_in(adapters).execute(request(staff.email))
    second = await log_in(adapters).execute(request(staff.email))
    authenticate = Authenticate(adapters.uow(), adapters.clock)

    await LogOut(adapters.uow(), adapters.clock).execute(await authenticate.execute(first.token))
    with pytest.raises(AuthenticationRequired):
        await authenticate.execute(first.token)
    assert await authenticate.execute(second.token)

    clock.advance(timedelta(hours=12))
    with pytest.raises(AuthenticationRequired):
        await authenticate.execute(second.token)
