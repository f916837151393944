from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from fusionx.core.errors import InvalidCredentials, TooManyAttempts
from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret, new_secret
from fusionx.core.model.staff import StaffMember, normalize_email
from fusionx.core.rules.login_throttle import (
    ACCOUNT_POLICY,
    ADDRESS_POLICY,
    ThrottlePolicy,
    account_key,
    address_key,
    seconds_to_wait,
)
from fusionx.core.rules.validation import MAX_PASSWORD_LENGTH
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.password_hasher import PasswordHasher
from fusionx.ports.unit_of_work import UnitOfWork


class LogInRequest(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    password: str
    client_address: str


class LogInResult(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    expires_at: datetime
    staff: StaffMember


class LogIn:
    """Exchange a staff member's email and password for a session token.

    Rules:
    - a wrong email and a wrong password get the same error, and cost the same
      time (an unknown email still runs a hash verification);
    - failures are counted per account and per client address; past the limit,
      attempts are refused with the seconds to wait, even with the right password;
    - a success clears the account's failures (not the address's: one good
      password must not reset a guessing run against other accounts);
    - the token is random, shown once, stored as a hash, and expires after
      ``session_ttl``; a hash made with old parameters is upgraded on success.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
        session_ttl: timedelta,
        account_policy: ThrottlePolicy = ACCOUNT_POLICY,
        address_policy: ThrottlePolicy = ADDRESS_POLICY,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._ids = ids
        self._session_ttl = session_ttl
        self._policies = (account_policy, address_policy)

    async def execute(self, request: LogInRequest) -> LogInResult:
        now = self._clock.now()
        email = normalize_email(request.email)
        keys = (account_key(email), address_key(request.client_address))
        async with self._uow as uow:
            for key, policy in zip(keys, self._policies, strict=True):
                failures = await uow.login_failures.since(key, now - policy.window)
                wait = seconds_to_wait(failures, now, policy)
                if wait:
                    raise TooManyAttempts("Too many failed sign-in attempts", wait)

            staff = await self._check_password(
                await uow.staff.get_by_email(email), request.password
            )
            if staff is None:
                for key in keys:
                    await uow.login_failures.record(key, now)
                await uow.commit()
                raise InvalidCredentials

            await uow.login_failures.clear(keys[0])
            if self._hasher.needs_rehash(staff.password_hash):
                staff = msgspec.structs.replace(
                    staff, password_hash=await self._hasher.hash(request.password)
                )
                await uow.staff.update(staff)
            secret = new_secret(PrincipalKind.STAFF)
            expires_at = now + self._session_ttl
            token = AccessToken(
                id=self._ids.new_id(),
                token_hash=hash_secret(secret),
                kind=PrincipalKind.STAFF,
                subject_id=staff.id,
                created_at=now,
                expires_at=expires_at,
            )
            await uow.tokens.add(token)
            await uow.commit()
        return LogInResult(token=secret, expires_at=expires_at, staff=staff)

    async def _check_password(self, staff: StaffMember | None, password: str) -> StaffMember | None:
        """The staff member when the password is theirs, else None."""
        if len(password) > MAX_PASSWORD_LENGTH:
            return None
        if staff is None or not staff.active:
            await self._hasher.verify_decoy(password)
            return None
        return staff if await self._hasher.verify(staff.password_hash, password) else None
