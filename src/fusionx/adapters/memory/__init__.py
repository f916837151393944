"""In-memory adapters for every port: first-class fakes used by unit and HTTP tests.

They pass the same repository contract tests as the SQL adapters.
"""
