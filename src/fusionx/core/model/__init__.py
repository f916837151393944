"""Domain entities and value objects. Frozen msgspec Structs; no ports, no I/O."""
