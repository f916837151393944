"""``nox -s bench``: FusionX's hot paths under load, against a raw-asyncpg ceiling.

Not part of the product: nothing under ``src/`` imports it. See ``bench/README.md``.
"""
