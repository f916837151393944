"""Wire formats: frozen msgspec Structs, snake_case JSON, kept apart from the domain model."""
