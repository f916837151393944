from __future__ import annotations

import hashlib
import hmac


class InMemoryPasswordHasher:
    """A fast stand-in for argon2 in unit tests: salted SHA-256, never for production."""

    _PREFIX = "fake-sha256$"

    async def hash(self, password: str) -> str:
        return self._PREFIX + hashlib.sha256(password.encode()).hexdigest()

    async def verify(self, password_hash: str, password: str) -> bool:
        return hmac.compare_digest(password_hash, await self.hash(password))

    async def verify_decoy(self, password: str) -> None:
        await self.hash(password)

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(self._PREFIX)
