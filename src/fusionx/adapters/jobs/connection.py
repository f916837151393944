"""Our SQLAlchemy database URL as the libpq connection string procrastinate's psycopg
connector takes."""

from __future__ import annotations

from sqlalchemy.engine import make_url

# asyncpg's query parameters that libpq spells differently.
_RENAMED = {"ssl": "sslmode"}


def conninfo(url: str) -> str:
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise ValueError("the job queue needs PostgreSQL")
    query = {_RENAMED.get(name, name): value for name, value in parsed.query.items()}
    return parsed.set(drivername="postgresql", query=query).render_as_string(hide_password=False)
