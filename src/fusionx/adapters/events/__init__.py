"""Live event fan-out: the in-process hub and the PostgreSQL LISTEN/NOTIFY bridge."""
