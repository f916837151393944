"""What one credential may take of a worker's event streams.

A kitchen tablet needs one stream, and a few more only while a dropped link's old
connections wait out their idle limit; a leaked or stolen credential must not hold
thousands of sockets, nor make the server buffer huge messages. Counted per worker
process: each worker guards its own sockets and memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

# ``create_app`` puts the app's ``StreamLimits`` in ``app.state`` under this key.
LIMITS_STATE_KEY = "fusionx.event_stream_limits"


class TooManyStreams(Exception):
    """The credential already holds as many streams as this worker allows."""


class StreamLimits:
    """The limits, and the streams open in this process per credential."""

    def __init__(self, *, connections_per_credential: int, max_message_bytes: int) -> None:
        self.connections_per_credential = connections_per_credential
        self.max_message_bytes = max_message_bytes
        self._open: Counter[UUID] = Counter()

    @contextmanager
    def admit(self, token_id: UUID) -> Iterator[None]:
        """Hold one of the credential's streams for the block; ``TooManyStreams`` if none
        is left."""
        if self._open[token_id] >= self.connections_per_credential:
            raise TooManyStreams(
                f"This credential already has {self.connections_per_credential} open streams "
                "here; close one first"
            )
        self._open[token_id] += 1
        try:
            yield
        finally:
            self._open[token_id] -= 1
            if not self._open[token_id]:
                del self._open[token_id]

    def open_streams(self, token_id: UUID) -> int:
        return self._open[token_id]
