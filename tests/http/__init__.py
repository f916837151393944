# ruff: noqa: A005 - imported as tests.http, so it shadows nothing
"""The HTTP suite: the app over in-memory adapters, through Litestar's test client."""
