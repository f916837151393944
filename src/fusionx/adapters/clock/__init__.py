"""clock adapters."""
