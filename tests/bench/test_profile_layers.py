"""The profile summary's layers: each sample counted once, by its innermost frame."""

from __future__ import annotations

from collections import Counter

from bench.layers import by_layer, layer_lines

_SITE = "/venv/lib/python3.11/site-packages"
_STACKS = Counter(
    {
        f"run (asyncio/events.py:1);handle ({_SITE}/litestar/app.py:9);"
        f"execute (/repo/src/fusionx/core/use_cases/commands/move.py:3)": 5,
        f"handle ({_SITE}/litestar/app.py:9);execute ({_SITE}/sqlalchemy/engine/base.py:7)": 3,
        f"handle ({_SITE}/litestar/app.py:9)": 2,
        "select (selectors.py:4)": 1,
    }
)


def test_a_sample_counts_once_for_the_layer_of_its_innermost_frame() -> None:
    assert by_layer(_STACKS) == Counter(
        {"FusionX core": 5, "SQLAlchemy": 3, "Litestar": 2, "other": 1}
    )


def test_the_layers_are_in_percent_of_all_samples_largest_first() -> None:
    _heading, *layers = layer_lines(_STACKS)
    assert [line.split(None, 1) for line in layers] == [
        ["45.5", "FusionX core"],
        ["27.3", "SQLAlchemy"],
        ["18.2", "Litestar"],
        ["9.1", "other"],
    ]
