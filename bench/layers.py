"""Where a profile's time goes, by layer: our own code by hexagonal layer, then each
library a request goes through. What a request costs outside our code is the part our
own code cannot move (``--profile``'s summaries end with this table)."""

from __future__ import annotations

from collections import Counter

# The first that matches names a frame's layer (a path fragment of the frame's file).
LAYERS = (
    ("fusionx/core/", "FusionX core"),
    ("fusionx/ports/", "FusionX core"),
    ("fusionx/adapters/", "FusionX adapters"),
    ("fusionx/entrypoints/", "FusionX entrypoints"),
    ("litestar/", "Litestar"),
    ("sqlalchemy/", "SQLAlchemy"),
    ("advanced_alchemy/", "SQLAlchemy"),
    ("asyncpg/", "asyncpg"),
    ("msgspec/", "msgspec"),
    ("structlog/", "logging"),
    ("logging/", "logging"),
    ("asyncio/", "asyncio"),
    ("granian/", "granian"),
)


def by_layer(stacks: Counter[str]) -> Counter[str]:
    """Self samples by layer (``LAYERS``); ``other`` for the rest."""
    layers: Counter[str] = Counter()
    for stack, n in stacks.items():
        innermost = stack.rsplit(";", 1)[-1]
        layers[next((name for mark, name in LAYERS if mark in innermost), "other")] += n
    return layers


def layer_lines(stacks: Counter[str]) -> list[str]:
    """The self samples by layer, in percent of all samples, largest first."""
    total = sum(stacks.values()) or 1
    lines = ["self %  layer (where the innermost frame's code lives)"]
    lines += [f"{100 * n / total:6.1f}  {layer}" for layer, n in by_layer(stacks).most_common()]
    return lines
