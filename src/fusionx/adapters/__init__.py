"""Implementations of the ports: SQL, protocol clients, system services and in-memory fakes."""
