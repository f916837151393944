"""Use cases that change state: one verb a module, run in a writing unit of work."""
