"""Pure business rules shared by several use cases."""
