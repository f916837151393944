from __future__ import annotations

from typing import Protocol
from uuid import UUID


class IdGenerator(Protocol):
    """New entity ids: UUIDv7, so ids sort by creation time and index well."""

    def new_id(self) -> UUID: ...
