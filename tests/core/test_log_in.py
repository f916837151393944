from __future__ import annotations

from datetime import timedelta

import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import AuthenticationRequired, InvalidCredentials, TooManyAttempts
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.authenticate import Authenticate
from fusionx.core.use_cases.log_in import LogIn, LogInRequest
from fusionx.core.use_cases.log_out import LogOut
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


async def test_an_account_is_throttled_after_five_failures_even_with_the_right_password(
    adapters: Adapters, clock: ManualClock
) -> None:
    staff = await make_staff(adapters)
    for n in range(5):
        with pytest.raises(InvalidCredentials):
            await log_in(adapters).execute(request(staff.email, "wrong", f"198.51.100.{n}"))

    with pytest.raises(TooManyAttempts) as throttled:
        await log_in(adapters).execute(request(staff.email))
    assert 0 < throttled.value.retry_after_seconds <= 15 * 60

    clock.advance(timedelta(seconds=throttled.value.retry_after_seconds))
    assert (await log_in(adapters).execute(request(staff.email))).staff.id == staff.id


async def test_an_address_guessing_many_accounts_is_throttled(adapters: Adapters) -> None:
    for n in range(20):
        with pytest.raises(InvalidCredentials):
            await log_in(adapters).execute(request(f"guess{n}@example.test", "x" * 12))

    staff = await make_staff(adapters)
    with pytest.raises(TooManyAttempts):
        await log_in(adapters).execute(request(staff.email))
    # The same account from another address is not blocked by that address's record.
    assert await log_in(adapters).execute(request(staff.email, address="192.0.2.1"))


async def test_a_success_clears_the_account_failures(adapters: Adapters) -> None:
    staff = await make_staff(adapters)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await log_in(adapters).execute(request(staff.email, "wrong"))
    await log_in(adapters).execute(request(staff.email))

    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await log_in(adapters).execute(request(staff.email, "wrong"))
    assert await log_in(adapters).execute(request(staff.email))


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
