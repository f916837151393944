"""A hundred wrong passwords at once, for one account from one address: no more than the
throttle's limit are ever checked, on every backend, and the account's owner signing in
from elsewhere at the same moment is let in."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec
import pytest

from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.memory.password_hasher import InMemoryPasswordHasher
from fusionx.core.errors import InvalidCredentials, TooManyAttempts
from fusionx.core.model.staff import StaffMember
from fusionx.core.use_cases.commands.log_in import LogIn, LogInRequest, LogInResult
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.databases import BACKENDS, MigratedDatabase, emptied_units, named_backend
from tests.support.entities import T0, a_staff_member

ATTEMPTS = 100
LIMIT = 5  # failures per address and account (login_throttle.PAIR_POLICY)
PASSWORD = "the owner's own password"
GUESSER, OWNER = "203.0.113.66", "192.0.2.10"


class CountingHasher(InMemoryPasswordHasher):
    """Checks passwords as the in-memory hasher does, counting every check (of an
    account's hash or of the decoy), and yielding to the other attempts while it checks,
    as a slow real hash lets them run."""

    def __init__(self) -> None:
        self.checked = 0

    async def verify(self, password_hash: str, password: str) -> bool:
        self.checked += 1
        await asyncio.sleep(0.005)
        return await super().verify(password_hash, password)

    async def verify_decoy(self, password: str) -> None:  # noqa: ARG002 - a decoy checks nothing
        self.checked += 1
        await asyncio.sleep(0.005)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> MigratedDatabase | None:
    return named_backend(request)


@pytest.fixture
async def units(backend: MigratedDatabase | None) -> UnitOfWorkFactory:
    return await emptied_units(backend)


async def owner(units: UnitOfWorkFactory, hasher: CountingHasher) -> StaffMember:
    staff = a_staff_member(password_hash=await hasher.hash(PASSWORD))
    async with units() as uow:
        await uow.staff.add(staff)
        await uow.commit()
    return msgspec.structs.replace(staff, email=staff.email.lower())


async def test_of_a_hundred_racing_wrong_passwords_only_the_limit_is_checked(
    units: UnitOfWorkFactory,
) -> None:
    hasher, clock, ids = CountingHasher(), ManualClock(T0), Uuid7Generator()
    staff = await owner(units, hasher)

    def attempt(password: str, address: str) -> asyncio.Task[LogInResult]:
        use_case = LogIn(
            units(), hasher=hasher, clock=clock, ids=ids, session_ttl=timedelta(hours=1)
        )
        request = LogInRequest(email=staff.email, password=password, client_address=address)
        return asyncio.ensure_future(use_case.execute(request))

    async with asyncio.timeout(60):
        guesses = [attempt(f"guess number {n}", GUESSER) for n in range(ATTEMPTS)]
        mine = attempt(PASSWORD, OWNER)
        outcomes = await asyncio.gather(*guesses, return_exceptions=True)
        signed_in = await mine

    assert hasher.checked == LIMIT + 1  # the guesses', and the owner's
    assert sum(isinstance(o, InvalidCredentials) for o in outcomes) == LIMIT
    refused = [o for o in outcomes if isinstance(o, TooManyAttempts)]
    assert len(refused) == ATTEMPTS - LIMIT
    assert signed_in.staff.id == staff.id
