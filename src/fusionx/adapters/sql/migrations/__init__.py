"""Alembic migrations, shipped inside the package so an installed wheel can migrate.

There is no alembic.ini: ``runner`` builds the config in code. To write a revision,
copy the newest file in ``versions/`` (readable ids: ``0002_what_changed``), add its id
to ``revisions.KNOWN_REVISIONS`` (readiness reads it there, without alembic) and check
it with ``tests/sql/test_migrations.py``, which fails while the tables and the
migrated schema disagree, and ``tests/sql/test_revisions.py``.
"""
