"""Who did something, as every history row, ledger row and order shows it."""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind


class ActorView(msgspec.Struct, frozen=True, kw_only=True):
    """A staff member (``kind: "staff"``) or a kitchen device (``kind: "device"``)."""

    kind: PrincipalKind
    id: UUID

    @classmethod
    def of(cls, actor: Actor) -> ActorView:
        return cls(kind=actor.kind, id=actor.id)
