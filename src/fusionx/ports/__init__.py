"""Protocols through which the core talks to the world. One concern per module."""
