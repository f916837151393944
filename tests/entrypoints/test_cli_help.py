"""The help of every ``fusionx`` command: every option explained, every default shown."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from fusionx.entrypoints.cli import _parser, main


def _commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command that runs something, with the words that name it."""
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        yield prefix, parser
    for action in subcommands:
        for name, command in action.choices.items():
            yield from _commands(command, (*prefix, name))


COMMANDS = dict(_commands(_parser()))


def _options(command: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in command._actions if a.option_strings and a.dest != "help"]


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_option_is_explained_and_its_default_shown(
    words: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*words, "--help"])
    shown = " ".join(capsys.readouterr().out.split())

    assert exit_.value.code == 0
    for option in _options(COMMANDS[words]):
        assert option.help, f"{option.option_strings[0]} has no help"
        if option.default not in (None, False, [], argparse.SUPPRESS):
            assert f"(default: {option.default})" in shown, option.option_strings[0]


def test_the_simulator_finds_a_location_itself_over_http(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["simulate", "--help"])
    shown = " ".join(capsys.readouterr().out.split())

    assert "no way to list locations" not in shown
    assert "default: the first active location (GET /api/v1/locations)" in shown
