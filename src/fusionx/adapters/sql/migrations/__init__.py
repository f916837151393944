"""Alembic migrations, shipped inside the package so an installed wheel can migrate.

There is no alembic.ini: ``runner`` builds the config in code. To write a revision,
copy the newest file in ``versions/`` (readable ids: ``0002_what_changed``) and check
it with ``tests/sql/test_migrations.py``, which fails while the tables and the
migrated schema disagree.
"""
