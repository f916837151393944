"""Thin Litestar controllers: decode a Struct, run one use case, return a Struct."""
