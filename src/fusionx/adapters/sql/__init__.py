"""SQL adapters: SQLAlchemy tables, repositories and the unit of work over one session.

Runs on SQLite (aiosqlite, the embedded default) and PostgreSQL (asyncpg). The schema is
owned by the Alembic migrations in ``migrations/``; nothing here creates tables itself.
"""
