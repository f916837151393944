"""A staff member's signed-in sessions, as they list them (or an owner lists them)."""

from __future__ import annotations

from typing import Self
from uuid import UUID

import msgspec

from fusionx.core.use_cases.queries.list_sessions import Session
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime


class SessionView(msgspec.Struct, frozen=True, kw_only=True):
    """``user_agent`` and ``client_address`` as at sign-in (null when unknown);
    ``last_seen_at`` is recorded at most every five minutes; ``current``: the session
    this request is made with."""

    id: UUID
    user_agent: str | None
    client_address: str | None
    created_at: UtcDateTime
    expires_at: UtcDateTime | None
    last_seen_at: UtcDateTime | None
    current: bool

    @classmethod
    def of(cls, session: Session) -> Self:
        token = session.token
        return cls(
            id=token.id,
            user_agent=token.user_agent,
            client_address=token.client_address,
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_seen_at=token.last_seen_at,
            current=session.current,
        )


class SessionPage(PageView, frozen=True, kw_only=True):
    items: list[SessionView]

    @staticmethod
    def view(item: Session) -> SessionView:
        return SessionView.of(item)
