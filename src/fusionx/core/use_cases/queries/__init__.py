"""Use cases that only read: they run in a reading unit of work and never commit."""
