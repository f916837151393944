from __future__ import annotations

from typing import Protocol


class PasswordHasher(Protocol):
    """Slow, salted password hashing. Async because real hashing is CPU-bound for tens of ms."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool:
        """False for a wrong password or an unreadable hash; never raises for either."""
        ...

    async def verify_decoy(self, password: str) -> None:
        """Do the work of one ``verify`` against a decoy hash.

        Used for unknown accounts, so that response times do not reveal which emails exist.
        """
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with weaker parameters than the current ones."""
        ...
