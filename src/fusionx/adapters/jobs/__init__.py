"""Scheduled work: what runs, how often, and the two runners (procrastinate's queue on
PostgreSQL, a loop per job in the process on embedded SQLite)."""
