from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from fusionx.core.errors import InvalidCredentials, TooManyAttempts
from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret, new_secret
from fusionx.core.model.staff import StaffMember, normalize_email
from fusionx.core.rules.login_throttle import (
    ADDRESS_POLICY,
    PAIR_POLICY,
    ThrottlePolicy,
    address_key,
    pair_key,
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
    # What the client says it is (``User-Agent``), shown in the list of sessions.
    user_agent: str | None = None


# Longer user agents are cut: they are shown to people, not parsed.
MAX_USER_AGENT_LENGTH = 255
MAX_CLIENT_ADDRESS_LENGTH = 64


class LogInResult(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    expires_at: datetime
    staff: StaffMember


class LogIn:
    """Exchange a staff member's email and password for a session token.

    Rules:
    - a wrong email and a wrong password get the same error, and cost the same
      time (an unknown email still runs a hash verification);
    - failures are counted per client address and account together, and per client
      address (``login_throttle``); past either limit, attempts are refused with the
      seconds to wait, even with the right password. Failures from one address never
      turn away the right password from another;
    - counting and deciding are one step: every attempt is recorded as a failure of
      both keys before its password is checked, in a unit holding both keys, so however
      many attempts race, no more than the limit are ever checked; the right password
      takes its own failure back;
    - a success clears its address's failures for the account (not the address's
      others: one good password must not reset a guessing run against other accounts);
    - the token is random, shown once, stored as a hash, and expires after
      ``session_ttl``; a hash made with old parameters is upgraded on success;
    - the session keeps the client's user agent and address, and counts as seen now;
    - a password changed while it was being checked is not the one checked: no token.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
        session_ttl: timedelta,
        pair_policy: ThrottlePolicy = PAIR_POLICY,
        address_policy: ThrottlePolicy = ADDRESS_POLICY,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._ids = ids
        self._session_ttl = session_ttl
        self._policies = (pair_policy, address_policy)

    async def execute(self, request: LogInRequest) -> LogInResult:
        now = self._clock.now()
        email = normalize_email(request.email)
        keys = (pair_key(request.client_address, email), address_key(request.client_address))
        staff = await self._charge(keys, email, now)
        # Checked outside any unit of work: nothing is held while the hash runs.
        staff = await self._check_password(staff, request.password)
        if staff is None:
            raise InvalidCredentials  # its failure is recorded already
        rehashed = None
        if self._hasher.needs_rehash(staff.password_hash):
            rehashed = await self._hasher.hash(request.password)
        async with self._uow as uow:
            current = await uow.staff.get_by_email(email)
            if (
                current is None
                or not current.active
                or current.password_hash != staff.password_hash
            ):
                raise InvalidCredentials
            await uow.login_failures.clear(keys[0])
            await uow.login_failures.forgive(keys[1], now)
            if rehashed is not None:
                staff = msgspec.structs.replace(current, password_hash=rehashed)
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
                user_agent=(request.user_agent or "")[:MAX_USER_AGENT_LENGTH] or None,
                client_address=request.client_address[:MAX_CLIENT_ADDRESS_LENGTH] or None,
                last_seen_at=now,
            )
            await uow.tokens.add(token)
            await uow.commit()
        return LogInResult(token=secret, expires_at=expires_at, staff=staff)

    async def _charge(self, keys: tuple[str, str], email: str, now: datetime) -> StaffMember | None:
        """Refuse the attempt past a limit, else record it as a failure of every key.

        Returns the account the email names, if any.
        """
        async with self._uow as uow:
            await uow.login_failures.hold(keys)
            for key, policy in zip(keys, self._policies, strict=True):
                failures = await uow.login_failures.since(key, now - policy.window)
                wait = seconds_to_wait(failures, now, policy)
                if wait:
                    raise TooManyAttempts("Too many failed sign-in attempts", wait)
            for key in keys:
                await uow.login_failures.record(key, now)
            staff = await uow.staff.get_by_email(email)
            await uow.commit()
        return staff

    async def _check_password(self, staff: StaffMember | None, password: str) -> StaffMember | None:
        """The staff member when the password is theirs, else None."""
        if len(password) > MAX_PASSWORD_LENGTH:
            return None
        if staff is None or not staff.active:
            await self._hasher.verify_decoy(password)
            return None
        return staff if await self._hasher.verify(staff.password_hash, password) else None
