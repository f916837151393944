from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol
from uuid import UUID

from fusionx.core.model.events import ShiftEvent


class EventFeed(Protocol):
    """Live events of one shift for one subscriber."""

    async def next(self) -> ShiftEvent | None:
        """The next live event, or None when the subscriber may have missed some (its
        buffer overflowed, or the bus lost its source for a while): it must then catch
        up from the ``EventLog``. Live events may repeat ones already seen."""
        ...


class CredentialWatch(Protocol):
    """Revocations of one credential, for a stream that uses it."""

    async def next(self) -> None:
        """Return when the credential may have been revoked (or the bus may have missed a
        revocation for a while): its holder must then check it again."""
        ...


class EventBus(Protocol):
    """Fans what was committed out to live streams, across processes where it can: a
    shift's events to its subscribers, and credential revocations to the streams that
    use those credentials, so that a revoked credential's streams end at once.

    Delivery is best effort and may repeat; the event log and the credential store are
    the truth. A slow subscriber never holds up the others.
    """

    def subscribe(self, shift_id: UUID) -> AbstractAsyncContextManager[EventFeed]: ...

    def subscribe_fleet(self) -> AbstractAsyncContextManager[EventFeed]:
        """Live events of every shift, for a view of the whole fleet. Its gaps say some
        shift's events may have been missed, without saying which."""
        ...

    async def publish(self, events: Sequence[ShiftEvent]) -> None:
        """Deliver committed events to this process's subscribers."""
        ...

    def watch_credential(self, token_id: UUID) -> AbstractAsyncContextManager[CredentialWatch]: ...

    async def revoked(self, token_ids: Collection[UUID]) -> None:
        """Tell this process's watchers of these credentials that they were revoked."""
        ...
