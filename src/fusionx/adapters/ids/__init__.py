"""ids adapters."""
