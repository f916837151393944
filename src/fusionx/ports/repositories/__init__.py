"""Repository protocols: one aggregate each. Writes become visible to others only on commit."""
