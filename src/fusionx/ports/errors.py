"""Errors adapters raise in the ports' terms, whatever the driver underneath says."""

from __future__ import annotations


class UniqueViolation(Exception):
    """A write would duplicate a value that must be unique; ``field`` names it."""

    def __init__(self, field: str) -> None:
        super().__init__(f"duplicate value for {field}")
        self.field = field


class StorageUnavailable(Exception):
    """The store cannot be reached or is not migrated to the version this code needs."""


class StorageBusy(StorageUnavailable):
    """The store gave this unit of work up to let a competing one finish (a deadlock or a
    serialization failure). Nothing it wrote was kept; running it again may well succeed."""


class ReadOnlyUnitOfWork(RuntimeError):
    """A reading unit of work was asked to write or commit: a use case that writes was
    handed a reader. A bug, not a condition to handle."""
