"""passwords adapters."""
