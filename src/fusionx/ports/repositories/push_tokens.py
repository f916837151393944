from __future__ import annotations

from typing import Protocol

from fusionx.core.model.actors import Actor
from fusionx.core.model.push_tokens import PushToken


class PushTokenRepository(Protocol):
    """One push token per owner (device or staff member); ``put`` replaces it."""

    async def put(self, token: PushToken) -> None: ...

    async def get(self, owner: Actor) -> PushToken | None: ...

    async def remove(self, owner: Actor) -> None: ...
