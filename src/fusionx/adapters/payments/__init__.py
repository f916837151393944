"""Adapters to payment services."""
