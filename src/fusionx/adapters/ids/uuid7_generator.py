from __future__ import annotations

from uuid import UUID

import uuid_utils


class Uuid7Generator:
    """Time-ordered UUIDv7 ids (RFC 9562), so primary keys grow with insertion order."""

    def new_id(self) -> UUID:
        return UUID(bytes=uuid_utils.uuid7().bytes)
