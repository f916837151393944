"""The pure domain: entities, rules and use cases. Standard library and msgspec only."""
