"""Rate limiters: the ``limits`` library on Redis or in memory, and a counter on our SQL
database for deployments without Redis."""
